"""Command line of the project: ``python -m bot.cli <command>`` (see ``--help``).

``make run`` chains ``setup``, ``train`` and the ``serve-*`` commands; each
``serve-*`` replaces itself with the server it starts, so signals reach it.
"""

import argparse
import getpass
import logging
import os
import time

import uvicorn
from alembic import command
from alembic.config import Config
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from bot import log_masking
from bot.channels.telegram.app import run_polling as run_telegram_polling
from bot.db import transaction
from bot.faq import reloads
from bot.faq.entries import KnowledgeError, load_entries
from bot.faq.training_data import valid_entry_count, write_routing_sample
from bot.models import KnowledgeReload, Role, StaffUser, utcnow
from bot.rasa_process import rasa_environment, rasa_server_command
from bot.services import retention, widget
from bot.services.conversations import ensure_tenant
from bot.services.staff import create_staff
from bot.settings import PROJECT_ROOT, Settings
from bot.slot_series import create_slots, seed_demo_slots
from bot.training import train_if_needed

logger = logging.getLogger("bot.cli")

DATABASE_WAIT_SECONDS = 30
WEB_SHUTDOWN_SECONDS = 3
RETENTION_INTERVAL_SECONDS = 24 * 3600
# A cold fit takes about 15 s; a reload with few changes, a few seconds.
RELOAD_WAIT_SECONDS = 60
RELOAD_COMMAND = "python -m bot.cli reload-knowledge"
DEMO_WELCOME = (
    "Bonjour ! Je suis l'assistant automatique de la Régie de Quartier. "
    "Je réponds sur le tri des biodéchets, les économies d'énergie et la Régie, "
    "et je peux vous mettre en relation avec un médiateur."
)
DEMO_COLOR = "#0b6e4f"
DEMO_LOGO = "/static/demo-logo.svg"
# Seeded by `setup` in development only (email, password, role, name, tenant of a landlord).
DEMO_ACCOUNTS = (
    ("mediateur@demo.local", "demo-mediateur", Role.MEDIATOR, "Médiateur (démo)", False),
    ("bailleur@demo.local", "demo-bailleur", Role.LANDLORD, "Bailleur (démo)", True),
    ("admin@demo.local", "demo-admin", Role.ADMIN, "Administrateur (démo)", False),
)
PASSWORD_VARIABLE = "STAFF_PASSWORD"


def wait_for_database(database_url: str) -> None:
    """Block until the database accepts connections (it may still be starting)."""
    deadline = time.monotonic() + DATABASE_WAIT_SECONDS
    while True:
        try:
            with transaction(database_url) as session:
                session.execute(text("SELECT 1"))
            return
        except OperationalError:
            if time.monotonic() > deadline:
                raise
            logger.info("waiting for the database…")
            time.sleep(1)


def setup(settings: Settings) -> None:
    """Bring the schema to the latest migration and make sure the default tenant exists."""
    settings.var_dir.mkdir(exist_ok=True)
    wait_for_database(settings.database_url)
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["database_url"] = settings.database_url
    command.upgrade(config, "head")
    with transaction(settings.database_url) as session:
        tenant = ensure_tenant(
            session, slug=settings.default_tenant, name="Régie de Quartier (démo)", welcome_message=DEMO_WELCOME
        )
        if settings.environment == "development":
            seed_demo_slots(session, tenant=tenant, zone=settings.zone)
        # Seeded once: a look changed since is the developer's to keep.
        if settings.environment == "development" and not tenant.allowed_origins:
            demo_site = [f"http://{host}:{settings.demo_site_port}" for host in ("127.0.0.1", "localhost")]
            widget.set_look(
                session, tenant=tenant, primary_color=DEMO_COLOR, logo_url=DEMO_LOGO, allowed_origins=demo_site
            )
    if settings.environment == "development":
        seed_demo_accounts(settings)


def seed_demo_accounts(settings: Settings) -> None:
    """The console's demo accounts (development only); existing ones are left as they are."""
    with transaction(settings.database_url) as session:
        for email, password, role, name, landlord in DEMO_ACCOUNTS:
            if session.scalar(select(StaffUser.id).where(StaffUser.email == email)) is None:
                tenants = (settings.default_tenant,) if landlord else ()
                create_staff(
                    session, email=email, password=password, role=role, display_name=name, tenant_slugs=tenants
                )


def serve_rasa(settings: Settings) -> None:
    """Start Rasa's server with the current model (trained first if needed)."""
    model = train_if_needed(settings)
    argv = rasa_server_command(settings, model)
    os.execve(argv[0], argv, rasa_environment(settings))


def serve_actions(settings: Settings) -> None:
    """Start the action server."""
    # Imported here: it loads the sentence encoder and scikit-learn, which the other commands do not need.
    from bot import action_server

    action_server.serve(settings)


def serve_web(settings: Settings) -> None:
    """Start the web app."""
    # Widgets' event streams never end by themselves: on shutdown, give them a moment, then cut them.
    uvicorn.run(
        "bot.web:create_app",
        factory=True,
        host=settings.bind_host,
        port=settings.web_port,
        timeout_graceful_shutdown=WEB_SHUTDOWN_SECONDS,
        log_config=log_masking.uvicorn_log_config(),
    )


def serve_demo_site(settings: Settings) -> None:
    """Start the demo landlord's site, embedding the widget from another origin (development only)."""
    from bot.demo_site import create_demo_site

    uvicorn.run(
        create_demo_site(settings),
        host=settings.bind_host,
        port=settings.demo_site_port,
        log_config=log_masking.uvicorn_log_config(),
    )


def banner(settings: Settings) -> None:
    """Tell the person who ran ``make run`` what to open."""
    web = f"http://127.0.0.1:{settings.web_port}"
    print(  # noqa: T201 - this is the command's output, not logging
        f"""
Régie Assistant is starting (Rasa takes about 20 s to load its model).
  Health:    {web}/healthz   (200 once the database, Rasa and the actions answer)
  Chat API:  curl -s {web}/api/chat -H 'Content-Type: application/json' \\
               -d '{{"sender_id": "essai-0001", "text": "bonjour"}}'
  Widget:    {web}/widget.js{_demo_site(settings)}
  Rasa :{settings.rasa_port} and the action server :{settings.action_server_port} listen on {settings.bind_host} only.
  Telegram:  {_telegram_mode(settings)}
  Console:   {web}/console{_demo_logins(settings)}
Ctrl-C stops everything.
"""
    )


def _demo_site(settings: Settings) -> str:
    """Where the demo landlord page is, in development (the only place it runs)."""
    if settings.environment != "development":
        return ""
    return f"\n  Demo site: http://127.0.0.1:{settings.demo_site_port}/   (a landlord's page, another origin, with it)"


def _demo_logins(settings: Settings) -> str:
    """The demo accounts, for the banner (development only)."""
    if settings.environment != "development":
        return "   (accounts: python -m bot.cli create-staff)"
    logins = "".join(f"\n             {email} / {password}" for email, password, *_ in DEMO_ACCOUNTS)
    return f"   demo logins:{logins}"


def _telegram_mode(settings: Settings) -> str:
    """How the Telegram gateway runs, in one line of the banner."""
    if not settings.telegram_bot_token:
        return "off (set TELEGRAM_BOT_TOKEN to start the gateway)"
    if settings.telegram_webhook_url:
        return f"webhook mode: Telegram posts to {settings.telegram_webhook_url} (the web app's /telegram/webhook)"
    return f"polling {settings.telegram_api_base_url} (the telegram process)"


def serve_telegram(settings: Settings) -> None:
    """Start the Telegram gateway's polling worker (webhook mode runs inside the web app instead)."""
    run_telegram_polling(settings)


def processes(settings: Settings) -> None:
    """The Procfile entries ``make run`` starts: the demo site in development, Telegram's worker when it polls."""
    names = ["rasa", "actions", "web", "retention"]
    if settings.environment == "development":
        names.append("demo-site")
    if settings.telegram_bot_token and not settings.telegram_webhook_url:
        names.append("telegram")
    print(" ".join(names))  # noqa: T201 - read by the Makefile


def check_knowledge(settings: Settings) -> None:
    """Check every entry of knowledge/; exit with the file and the reason of the first refused."""
    try:
        count = valid_entry_count(settings.knowledge_dir)
    except KnowledgeError as error:
        raise SystemExit(f"refused: {error}") from error
    logger.info("%d knowledge entries, all valid", count)


def reload_knowledge(settings: Settings) -> None:
    """Check knowledge/, then have the action servers refit the FAQ engine; wait for their outcome."""
    check_knowledge(settings)
    with transaction(settings.database_url) as session:
        asked = reloads.request(session, requested_by=RELOAD_COMMAND)
    deadline = time.monotonic() + RELOAD_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(settings.knowledge_poll_seconds)
        with transaction(settings.database_url) as session:
            done = session.get(KnowledgeReload, asked.id)
            if done is not None and done.outcome is not None:
                print(done.outcome)  # noqa: T201 - this is the command's output
                raise SystemExit(0 if done.succeeded else 1)
    raise SystemExit(f"asked (reload {asked.id}); no action server carried it out in {RELOAD_WAIT_SECONDS} s")


def faq_routing(settings: Settings) -> None:
    """Rewrite nlu/faq.yml's sample of questions (DIET's ``faq`` intent); the model then trains again."""
    count = write_routing_sample(load_entries(settings.knowledge_dir))
    logger.info("%d questions written to the routing sample", count)


def create_staff_account(settings: Settings, argv: list[str]) -> None:
    """Create a console account; the password comes from $STAFF_PASSWORD or is asked, never from argv."""
    parser = argparse.ArgumentParser(prog="python -m bot.cli create-staff")
    parser.add_argument("--email", required=True)
    parser.add_argument("--role", required=True, choices=[role.value for role in Role])
    parser.add_argument("--name", help="the name mediators and residents' transcripts show (default: the e-mail)")
    parser.add_argument("--tenant", action="append", default=[], help="a landlord's tenant slug (repeatable)")
    args = parser.parse_args(argv)
    password = os.environ.get(PASSWORD_VARIABLE) or _ask_password()
    try:
        with transaction(settings.database_url) as session:
            create_staff(
                session,
                email=args.email,
                password=password,
                role=Role(args.role),
                display_name=args.name or args.email,
                tenant_slugs=tuple(args.tenant),
            )
    except ValueError as error:
        raise SystemExit(f"not created: {error}") from error
    logger.info("staff account %s created with the role %s", args.email, args.role)


def purge(settings: Settings) -> None:
    """Delete or anonymise the personal data past its retention period (``make purge``; docs/privacy.md)."""
    retention.run(
        settings.database_url,
        tracker_store_url=settings.tracker_store_url,
        photo_dir=settings.photo_dir,
        now=utcnow(),
        periods=retention.Periods.from_settings(settings),
    )


def serve_retention(settings: Settings) -> None:
    """Purge now, then once a day, until stopped (production's ``retention`` service)."""
    while True:
        try:
            purge(settings)
        except SQLAlchemyError:
            # The database may be restarting: the next day's run catches up (every purge is idempotent).
            logger.exception("retention purge failed; next try in %d s", RETENTION_INTERVAL_SECONDS)
        time.sleep(RETENTION_INTERVAL_SECONDS)


def _ask_password() -> str:
    password = getpass.getpass("Password: ")
    if password != getpass.getpass("Password again: "):
        raise SystemExit("the two passwords differ: nothing created")
    return password


COMMANDS = {
    "check-knowledge": check_knowledge,
    "reload-knowledge": reload_knowledge,
    "faq-routing": faq_routing,
    "banner": banner,
    "processes": processes,
    "setup": setup,
    "train": train_if_needed,
    "serve-rasa": serve_rasa,
    "serve-actions": serve_actions,
    "serve-web": serve_web,
    "serve-telegram": serve_telegram,
    "serve-demo-site": serve_demo_site,
    "purge": purge,
    "serve-retention": serve_retention,
}
# Commands that read options of their own after their name.
COMMANDS_WITH_OPTIONS = {
    "create-slots": create_slots,
    "create-staff": create_staff_account,
}


def main() -> None:
    """Parse the command line and run the command."""
    parser = argparse.ArgumentParser(prog="python -m bot.cli", description=__doc__)
    parser.add_argument("command", choices=sorted([*COMMANDS, *COMMANDS_WITH_OPTIONS]))
    parser.add_argument("options", nargs=argparse.REMAINDER, help="the command's own options (create-slots --help)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    log_masking.install()
    # httpx logs every request at INFO: one line per message to Rasa, saying nothing the access log does not.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.command in COMMANDS_WITH_OPTIONS:
        COMMANDS_WITH_OPTIONS[args.command](Settings(), args.options)
    elif args.options:
        parser.error(f"{args.command} takes no options")
    else:
        COMMANDS[args.command](Settings())


if __name__ == "__main__":
    main()
