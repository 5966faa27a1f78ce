"""The action server: rasa-sdk's Sanic app serving ``actions/``, in one process.

We run it ourselves rather than through ``python -m rasa_sdk`` so that the
knowledge index (spaCy takes seconds to load) is built before the server
accepts its first call, and so that it binds the address we choose.
"""

import logging

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor

from bot import log_masking
from bot.services.knowledge_search import default_index
from bot.settings import Settings

logger = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    """Load the actions, warm the knowledge index, then serve until stopped."""
    executor = ActionExecutor()
    executor.register_package("actions")
    logger.info("building the knowledge index")
    default_index()
    app = create_app(executor, cors_origins=None)
    # Sanic has just configured handlers of its own: they get the filter too.
    log_masking.install()
    app.run(
        host=settings.bind_host, port=settings.action_server_port, single_process=True, access_log=False, motd=False
    )
