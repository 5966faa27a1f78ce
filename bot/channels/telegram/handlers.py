"""From Telegram updates to router calls and back: texts, commands, button taps, everything else.

Only private chats are served (a conversation is a resident's own); edited
messages are ignored. Each chat's updates come here one at a time, in order
(see ``ordering``).
"""

import asyncio
import logging
import re
from dataclasses import dataclass, replace

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels.telegram import CHANNEL, texts, updates
from bot.channels.telegram.delivery import deliver
from bot.channels.telegram.my_data import send_my_data
from bot.errors import (
    CommandLikeText,
    PayloadNotOffered,
    PhotoNotExpected,
    PhotoTooLarge,
    PhotoWrongType,
    RejectedMessage,
    UnknownCommand,
    UnknownTenant,
)
from bot.router import COMMANDS, Incoming, IncomingPhoto, Router
from bot.services.conversations import Reply
from bot.services.photos import MAX_PHOTO_BYTES

logger = logging.getLogger(__name__)

GATEWAY_KEY = "gateway"
ROUTER_COMMANDS = sorted(set(COMMANDS) - {"start"})
TENANT_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
PHOTO_REFUSALS = {
    PhotoNotExpected: texts.PHOTO,
    PhotoTooLarge: texts.PHOTO_TOO_LARGE,
    PhotoWrongType: texts.PHOTO_WRONG_TYPE,
}


@dataclass(frozen=True)
class Gateway:
    """What the handlers share: the router and the database, made once per process."""

    router: Router
    database_url: str
    default_tenant: str


def register(application: Application, gateway: Gateway) -> None:
    """Add the gateway's handlers to ``application``; the first group drops duplicate updates."""
    application.bot_data[GATEWAY_KEY] = gateway
    application.add_handler(TypeHandler(Update, skip_duplicates), group=-1)
    application.add_handler(CommandHandler("start", on_start, filters=PRIVATE))
    application.add_handler(CommandHandler(ROUTER_COMMANDS, on_router_command, filters=PRIVATE))
    application.add_handler(CommandHandler("mesdonnees", on_my_data, filters=PRIVATE))
    application.add_handler(MessageHandler(PRIVATE & filters.COMMAND, on_unknown_command))
    application.add_handler(MessageHandler(PRIVATE & filters.TEXT, on_text))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(PRIVATE & (filters.PHOTO | filters.Document.IMAGE), on_photo))
    application.add_handler(MessageHandler(PRIVATE, on_not_text))


def _gateway(context: ContextTypes.DEFAULT_TYPE) -> Gateway:
    return context.bot_data[GATEWAY_KEY]


async def skip_duplicates(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop here when this update_id was already taken in (Telegram sent it again)."""
    chat = update.effective_chat
    database_url = _gateway(context).database_url
    first_time = await asyncio.to_thread(
        updates.take_in, database_url, update_id=update.update_id, chat_id=chat.id if chat else None
    )
    if not first_time:
        logger.info("update %d already handled: skipped", update.update_id)
        raise ApplicationHandlerStop


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/start`` or the deep link ``t.me/<bot>?start=<tenant>``: the tenant's welcome and menu."""
    argument = context.args[0].lower() if context.args else None
    # A malformed deep link is an unknown tenant, not an error.
    tenant = argument if argument is None or TENANT_SLUG.fullmatch(argument) else "?"
    await _route(update, context, tenant=tenant, command="start")


async def on_router_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/aide``, ``/mediateur``, ``/rdv``, ``/signaler``: the router turns each into its intent."""
    command = _command_of(update)
    await _route(update, context, command=command)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Typed text, for the dialogue engine."""
    await _route(update, context, text=update.effective_message.text)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A tap on an inline button: answered, its keyboard removed, its payload sent to the router."""
    query = update.callback_query
    await _close_question(query)
    chat = update.effective_chat
    if query.data and chat is not None and chat.type == ChatType.PRIVATE:
        await _route(update, context, payload=query.data)


async def _close_question(query: CallbackQuery) -> None:
    """Answer the tap (Telegram spins on the button until then) and remove the keyboard it came from.

    With its keyboard gone, an answered question cannot be answered again from an old button.
    """
    try:
        await query.answer()
        # A message older than 48 hours is inaccessible: its keyboard cannot be edited any more.
        if isinstance(query.message, Message):
            await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError as error:
        logger.warning("button tap: could not answer or remove the keyboard (%s)", type(error).__name__)


async def on_my_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """``/mesdonnees``: what is stored about this chat, summed up, then as a file (``/oubli`` is a router command)."""
    gateway = _gateway(context)
    await send_my_data(
        context.bot, gateway.router, gateway.database_url, gateway.default_tenant, update.effective_chat.id
    )


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command we do not have: the list of those we do."""
    await _say(update, context, texts.HELP)


async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo (or an image sent as a file) for the report form's photo question; refused kindly otherwise."""
    gateway = _gateway(context)
    chat_id = update.effective_chat.id
    message = update.effective_message
    # Telegram sends each photo in several sizes: the largest under the limit is enough to see the problem.
    sizes = [p for p in message.photo if (p.file_size or 0) <= MAX_PHOTO_BYTES] if message.photo else []
    attachment = sizes[-1] if sizes else message.document if message.document else None
    if attachment is None or (attachment.file_size or 0) > MAX_PHOTO_BYTES:
        await _say(update, context, texts.PHOTO_TOO_LARGE)
        return
    try:
        data = bytes(await (await context.bot.get_file(attachment.file_id)).download_as_bytearray())
        outcome = await gateway.router.handle_photo(IncomingPhoto(CHANNEL, None, str(chat_id), data))
    except (PhotoNotExpected, PhotoTooLarge, PhotoWrongType) as refused:
        await _say(update, context, PHOTO_REFUSALS[type(refused)])
        return
    await deliver(context.bot, gateway.database_url, chat_id, outcome.replies)


async def on_not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Voice notes, stickers, files, places…: say kindly what the bot understands; store nothing."""
    message = update.effective_message
    await _say(update, context, texts.VOICE if message.voice or message.audio else texts.NOT_TEXT)


def _command_of(update: Update) -> str:
    """The command's name, without "/" or "@botname"."""
    return update.effective_message.text.split()[0][1:].split("@")[0].lower()


async def _say(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    chat_id = update.effective_chat.id
    await deliver(context.bot, _gateway(context).database_url, chat_id, [Reply(text=text)])


async def _route(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    *,
    tenant: str | None = None,
    text: str | None = None,
    payload: str | None = None,
    command: str | None = None,
) -> None:
    """Hand the message to the router and send its answer."""
    gateway = _gateway(context)
    chat_id = update.effective_chat.id
    incoming = Incoming(
        channel=CHANNEL, tenant=tenant, sender_id=str(chat_id), text=text, payload=payload, command=command
    )
    replies = await answer(gateway, incoming)
    await deliver(context.bot, gateway.database_url, chat_id, replies)


async def answer(gateway: Gateway, incoming: Incoming) -> list[Reply]:
    """The router's replies, or our kind words when it refuses the message."""
    try:
        outcome = await gateway.router.handle(incoming)
    except UnknownTenant:
        if incoming.tenant == gateway.default_tenant:
            raise  # the default tenant is missing: `bot.cli setup` was not run
        # A stale or mistyped QR code: welcome the resident on the default tenant.
        fallback = replace(incoming, tenant=gateway.default_tenant)
        return [Reply(text=texts.UNKNOWN_TENANT), *await answer(gateway, fallback)]
    except PayloadNotOffered:
        return [Reply(text=texts.EXPIRED_BUTTON)]
    except (CommandLikeText, UnknownCommand):
        # Text starting with "/" never reaches Rasa (it would read an intent): list the commands.
        return [Reply(text=texts.HELP)]
    except RejectedMessage as error:
        logger.warning("message refused by the router: %s", error.code)
        return [Reply(text=texts.REFUSED)]
    # Human mode answers nothing: a mediator will.
    return outcome.replies
