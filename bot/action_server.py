"""The action server: rasa-sdk's Sanic app serving ``actions/``, in one process.

We run it ourselves rather than through ``python -m rasa_sdk`` so that the
FAQ engine is fitted before the server accepts its first call (about 15 s
cold), its watcher thread runs beside it, and it binds the address we choose.
"""

import logging

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor

from bot import log_masking
from bot.faq.live import latest_request, live_faq, start_watcher
from bot.settings import Settings

logger = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    """Load the actions, fit the FAQ engine, watch knowledge/, then serve until stopped."""
    executor = ActionExecutor()
    executor.register_package("actions")
    logger.info("fitting the FAQ engine from %s", settings.knowledge_dir)
    served = latest_request(settings)
    start_watcher(live_faq(settings.knowledge_dir), settings, served)
    app = create_app(executor, cors_origins=None)
    # Sanic has just configured handlers of its own: they get the filter too.
    log_masking.install()
    app.run(
        host=settings.bind_host, port=settings.action_server_port, single_process=True, access_log=False, motd=False
    )
