"""How Rasa commands are run: their arguments and environment."""

import os
from pathlib import Path

from bot.settings import PROJECT_ROOT, Settings


def rasa_environment(settings: Settings) -> dict[str, str]:
    """Environment for a Rasa command: endpoints.yml reads these variables."""
    return os.environ | {
        "RASA_TELEMETRY_ENABLED": "false",
        "ACTION_ENDPOINT_URL": f"{settings.action_server_url}/webhook",
        "RASA_TRACKER_URL": settings.tracker_store_url,
        "RASA_LOCK_STORE": settings.rasa_lock_store,
        "REDIS_HOST": settings.redis_host,
        # Rasa 3.6 pins SQLAlchemy 1.4, which warns loudly about 2.0 at every start.
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        # TensorFlow turns oneDNN on by itself on CPUs with AVX-512 VNNI, whose
        # rounding differs: the same data then trains another model. Off, such a
        # machine uses the kernels of the AVX2 machines (docs/knowledge.md).
        "TF_ENABLE_ONEDNN_OPTS": "0",
        # bot.rasa_server (Rasa's command with a faster check of the actions' answers) is found from anywhere.
        "PYTHONPATH": str(PROJECT_ROOT),
    }


def rasa_server_command(settings: Settings, model: Path) -> list[str]:
    """Rasa's server on loopback, REST channel only, started through ``bot.rasa_server``.

    No ``--enable-api``: Rasa's HTTP API can replace the model and read any
    tracker, so it must never be reachable.
    """
    return [
        str(settings.rasa_python), "-m", "bot.rasa_server", "run",
        "--model", str(model),
        "--endpoints", str(PROJECT_ROOT / "endpoints.yml"),
        "--credentials", str(PROJECT_ROOT / "credentials.yml"),
        "--interface", settings.bind_host, "--port", str(settings.rasa_port),
    ]  # fmt: skip
