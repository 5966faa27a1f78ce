"""``POST /telegram/webhook``: Telegram's updates, in webhook mode (``TELEGRAM_WEBHOOK_URL``).

Telegram resends an update until it gets a 2xx, so anything we will never be
able to handle (malformed JSON, an update type we do not serve) still gets 200.
Only requests without the right secret header are refused, and only a gateway
still connecting answers 503: Telegram then tries again, nothing is lost.
"""

import hmac
import json
import logging

from fastapi import APIRouter, Request, Response

from bot.channels.telegram.webhook import TelegramWebhook

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

router = APIRouter()


@router.post("/telegram/webhook", include_in_schema=False)
async def telegram_webhook(request: Request) -> Response:
    """Handle one update before answering, so that a 200 means it is stored."""
    webhook: TelegramWebhook | None = request.app.state.telegram
    if webhook is None:
        return Response(status_code=404)
    given = request.headers.get(SECRET_HEADER, "").encode()
    # Constant time: the comparison must not tell how much of a guessed secret is right.
    if not hmac.compare_digest(given, webhook.secret.encode()):
        return Response(status_code=403)
    if not webhook.ready:
        return Response(status_code=503, headers={"Retry-After": "5"})
    try:
        data = json.loads(await request.body())
    except ValueError:
        logger.warning("Telegram webhook: body is not JSON; ignored")
        return Response(status_code=200)
    if isinstance(data, dict) and not await webhook.handle(data):
        # Not stored (the database was down…): Telegram sends it again later.
        return Response(status_code=500)
    return Response(status_code=200)
