"""Every setting of the application, read once from the environment.

Each field maps to the environment variable of the same name in upper case
(``DATABASE_URL``, ``RASA_URL``…). Defaults are safe for a laptop: SQLite under
``var/``, every service on loopback.
"""

import re
from pathlib import Path
from typing import Literal, Self
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.services import opening_hours as hours
from bot.services.opening_hours import OpeningHours

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIN_PRODUCTION_SECRET_LENGTH = 32
# The development default: refused in production, like any secret shorter than 32 characters.
PLACEHOLDER_SESSION_SECRET = "dev-only-console-secret-change-me"


class Settings(BaseSettings):
    """Typed settings; build one with ``Settings()`` at a process's start."""

    # Inputs stay out of error messages: they hold the bot token and database passwords.
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True, hide_input_in_errors=True)

    environment: Literal["development", "production"] = "development"
    # Local state: SQLite files, uploads. Empty DATABASE_URL means SQLite here.
    var_dir: Path = PROJECT_ROOT / "var"
    database_url: str = ""
    default_tenant: str = "demo"

    rasa_url: str = "http://127.0.0.1:5005"
    action_server_url: str = "http://127.0.0.1:5055"
    # Rasa's REST channel waits up to 300 s for a slow action: we give up long before.
    rasa_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    rasa_lock_store: Literal["in_memory", "redis"] = "in_memory"
    redis_host: str = "127.0.0.1"

    # Rasa and the action server trust their callers: they listen on loopback
    # (or inside the compose network in production), never on a public address.
    bind_host: str = "127.0.0.1"
    web_port: int = 8000
    rasa_port: int = 5005
    action_server_port: int = 5055

    # The widget's public chat API: at most this many messages a minute per sender
    # and per client address (0: no limit, for the test stack, which sends everything from 127.0.0.1).
    rate_limit_per_sender_per_minute: int = Field(default=20, ge=0)
    rate_limit_per_ip_per_minute: int = Field(default=20, ge=0)
    # The demo landlord site of `make run` (development only): its port, and the web app's
    # address as that page's browser reaches it (default: http://127.0.0.1:WEB_PORT).
    demo_site_port: int = 8001
    public_url: str = ""

    # The FAQ's knowledge base. The action servers refit their engine when an admin
    # asks (console or `python -m bot.cli reload-knowledge`) and, with knowledge_watch,
    # when a file there changes: looked for every knowledge_poll_seconds.
    knowledge_dir: Path = PROJECT_ROOT / "knowledge"
    knowledge_watch: bool = True
    knowledge_poll_seconds: float = Field(default=2.0, gt=0, le=60)

    telegram_bot_token: str | None = None
    # The Bot API's root: the gateway calls <root>/bot<token>/<method> and downloads
    # <root>/file/bot<token>/<path>, so a local Bot API server (or a test fake) can stand in.
    telegram_api_base_url: str = "https://api.telegram.org"
    # Set: Telegram posts updates to the web app's /telegram/webhook (no polling worker).
    telegram_webhook_url: str | None = None
    # Telegram repeats it in X-Telegram-Bot-Api-Secret-Token: only it proves a post came from Telegram.
    telegram_webhook_secret: str | None = None

    # Signs the console's login form (CSRF); sessions themselves are random tokens stored hashed.
    session_secret: str = PLACEHOLDER_SESSION_SECRET
    console_session_hours: int = Field(default=12, gt=0, le=24 * 7)
    # Failed logins per e-mail address before a lock-out, and its length.
    login_max_failures: int = Field(default=5, gt=0, le=100)
    login_lockout_minutes: int = Field(default=15, gt=0, le=24 * 60)
    # When a mediator can answer: told to residents on a handoff (format: bot/services/opening_hours.py).
    opening_hours: str = hours.DEFAULT
    timezone: str = hours.DEFAULT_ZONE

    # Privacy (docs/privacy.md): who answers for residents' data, whom to write to, how long each kind is kept.
    # The CNIL sets no duration for chatbots ("as long as needed"): these are our choices, on the privacy page.
    privacy_controller: str = "Régie de Quartier (démo)"
    # An address for requests about personal data (and the DPO's, if any); empty: the page points to a mediator.
    privacy_contact: str = ""
    # The controller's documented legal basis, in words for residents (the operator confirms it: docs/privacy.md).
    privacy_legal_basis: str = (
        "l'intérêt légitime de la Régie à répondre aux habitants et à organiser la médiation ; "
        "pour un rendez-vous ou un signalement, votre propre demande"
    )
    retention_transcript_days: int = Field(default=365, ge=1)
    retention_booking_contact_days: int = Field(default=90, ge=1)
    # Counted from the day a request is done or rejected: open ones keep their details.
    retention_request_details_days: int = Field(default=180, ge=1)
    # Health, debts… typed spontaneously: the CNIL asks to purge them early.
    retention_sensitive_days: int = Field(default=30, ge=1)

    @field_validator("telegram_bot_token", "telegram_webhook_url", "telegram_webhook_secret", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # docker-compose passes unset variables as empty strings.
        return value or None

    @model_validator(mode="after")
    def _telegram_webhook_needs_its_secret(self) -> Self:
        if not self.telegram_webhook_url:
            return self
        if not self.telegram_bot_token:
            raise ValueError("TELEGRAM_WEBHOOK_URL is set but TELEGRAM_BOT_TOKEN is not")
        secret = self.telegram_webhook_secret or ""
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ValueError("webhook mode needs TELEGRAM_WEBHOOK_SECRET: 1-256 characters among A-Z a-z 0-9 _ -")
        if self.environment == "production" and len(secret) < MIN_PRODUCTION_SECRET_LENGTH:
            raise ValueError(f"TELEGRAM_WEBHOOK_SECRET needs {MIN_PRODUCTION_SECRET_LENGTH}+ characters in production")
        return self

    @model_validator(mode="after")
    def _console_settings_are_usable(self) -> Self:
        hours.parse(self.opening_hours, self.timezone)
        if self.environment == "production" and (
            self.session_secret == PLACEHOLDER_SESSION_SECRET or len(self.session_secret) < MIN_PRODUCTION_SECRET_LENGTH
        ):
            raise ValueError(f"SESSION_SECRET needs {MIN_PRODUCTION_SECRET_LENGTH}+ random characters in production")
        return self

    @model_validator(mode="after")
    def _default_to_sqlite(self) -> Self:
        if not self.database_url:
            # The model is frozen; this is its construction, not a mutation.
            object.__setattr__(self, "database_url", f"sqlite:///{self.var_dir / 'regie.db'}")
        return self

    @model_validator(mode="after")
    def _default_public_url(self) -> Self:
        if not self.public_url:
            object.__setattr__(self, "public_url", f"http://127.0.0.1:{self.web_port}")
        object.__setattr__(self, "public_url", self.public_url.rstrip("/"))
        return self

    @property
    def zone(self) -> ZoneInfo:
        """The Régie's time zone, for dates shown to and understood from people."""
        return ZoneInfo(self.timezone)

    @property
    def tracker_store_url(self) -> str:
        """Where Rasa keeps its tracker: beside our data, in its own tables.

        SQLite allows one writer at a time, so Rasa gets a second file there.
        """
        if self.database_url.startswith("sqlite"):
            return f"sqlite:///{self.var_dir / 'tracker.db'}"
        return self.database_url

    @property
    def photo_dir(self) -> Path:
        """Where residents' photos are kept (never served as static files)."""
        return self.var_dir / "photos"

    @property
    def opening_schedule(self) -> OpeningHours:
        """The Régie's opening hours, read from ``opening_hours`` and ``timezone``."""
        return hours.parse(self.opening_hours, self.timezone)

    @property
    def console_cookie_secure(self) -> bool:
        """Console cookies go over HTTPS only, except on a developer's own machine."""
        return self.environment != "development"

    @property
    def rasa_executable(self) -> Path:
        """Rasa's command, in its own Python 3.10 environment."""
        return PROJECT_ROOT / ".venv-rasa" / "bin" / "rasa"

    @property
    def rasa_python(self) -> Path:
        """The Python of Rasa's environment (it runs ``bot.rasa_server``)."""
        return PROJECT_ROOT / ".venv-rasa" / "bin" / "python"
