"""Handing a conversation over to the Régie's mediators (human mode), telling the resident when, and back.

Three triggers: the resident asks (``action_handoff``), the bot fails to
understand two messages in a row (``record_miss``, from ``action_answer_faq``),
or the router spots an urgent situation (``bot/services/urgency.py``).

While a mediator has the conversation, every message of the resident is
answered (``waiting_notice``): who has it, when a person answers, how to go
back to the assistant. The way back is a button or a few explicit words
(``asks_for_the_assistant``); a mediator hands back from the console
(``bot/services/mediation.py``).
"""

import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Author, Conversation, Message, Mode, utcnow
from bot.services.conversations import Button, Reply
from bot.services.opening_hours import OpeningHours, french_moment, french_time
from bot.services.when import plain

ASKED = "asked"
NOT_UNDERSTOOD = "not_understood"
URGENT = "urgent"
REASONS = frozenset({ASKED, NOT_UNDERSTOOD, URGENT})

NOT_UNDERSTOOD_TWICE = (
    "Je n'ai toujours pas compris votre message, désolé. Je transmets la conversation à un médiateur "
    "de la Régie : il vous répondra ici même."
)
URGENT_HANDOFF = "Votre situation paraît urgente : je la transmets en priorité à un médiateur de la Régie."
OUTSIDE_HOURS_EMERGENCY = (
    "En cas de danger, appelez le 112 (ou 18 pompiers, 15 SAMU, 17 police) ; "
    "pour une odeur de gaz, Urgence Sécurité Gaz : 0 800 47 33 33."
)


# A mediator who wrote this recently is talking with the resident: a notice of the bot between two
# messages of a person would interrupt them. Longer than a reply takes to type, short enough that a
# resident left alone again hears from the Régie at their next message.
MEDIATOR_LIVE = timedelta(minutes=5)
# Only the router reads this payload (Rasa has no such intent): the button that ends human mode.
BACK_TO_ASSISTANT = "/back_to_assistant"
BACK_BUTTON = Button(title="Revenir à l'assistant", payload=BACK_TO_ASSISTANT)
WAITING = "Un médiateur de la Régie a votre conversation : votre message lui est transmis."
WAY_BACK = (
    "Pour revenir à l'assistant automatique, touchez « Revenir à l'assistant » ou écrivez « retour à l'assistant »."
)
WAITING_AGAIN = "Votre message est transmis au médiateur, qui vous répondra ici même."
BACK_WITH_THE_ASSISTANT = (
    "Vous parlez de nouveau avec l'assistant automatique. Vous pouvez redemander un médiateur à tout moment."
)


def escalate(session: Session, *, conversation_id: str, reason: str) -> Conversation:
    """Switch the conversation to human mode: the router stops calling Rasa.

    An urgent reason replaces an earlier one, so the conversation moves up the queue.
    """
    if reason not in REASONS:
        raise ValueError(f"unknown escalation reason: {reason!r}")
    conversation = session.get_one(Conversation, conversation_id)
    if conversation.mode is not Mode.HUMAN:
        conversation.mode = Mode.HUMAN
        conversation.escalated_at = utcnow()
        conversation.escalation_reason = reason
    elif reason == URGENT:
        conversation.escalation_reason = URGENT
    return conversation


def record_miss(session: Session, *, conversation_id: str) -> bool:
    """The bot did not understand the resident's latest message; True when that makes two in a row (escalated).

    "In a row" means consecutive messages of the resident: the previous one
    was the last miss. An unknown conversation (a test tracker) counts nothing.
    """
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return False
    latest = list(
        session.scalars(
            select(Message.id)
            .where(Message.conversation_id == conversation_id, Message.author == Author.RESIDENT)
            .order_by(Message.id.desc())
            .limit(2)
        )
    )
    if not latest:
        return False
    previous = latest[1] if len(latest) > 1 else None
    if previous is not None and conversation.missed_message_id == previous and conversation.mode is Mode.BOT:
        escalate(session, conversation_id=conversation_id, reason=NOT_UNDERSTOOD)
        return True
    conversation.missed_message_id = latest[0]
    return False


def availability(hours: OpeningHours, now: datetime | None = None) -> str:
    """When a mediator will answer: soon during opening hours, else when the Régie reopens."""
    now = now or utcnow()
    if hours.is_open(now):
        closing = hours.closes_at(now)
        until = f" (la Régie est ouverte jusqu'à {french_time(closing)})" if closing else ""
        return f"Un médiateur vous répond ici même dès que possible{until}."
    reopening = hours.next_opening(now)
    when = f", {french_moment(reopening, now)}" if reopening else ""
    return (
        f"La Régie est fermée en ce moment (horaires : {hours.describe()}). "
        f"Un médiateur vous répondra ici même dès la réouverture{when}. {OUTSIDE_HOURS_EMERGENCY}"
    )


def reopening(hours: OpeningHours, now: datetime | None = None) -> str:
    """When the Régie reopens, in one short sentence; empty while it is open."""
    now = now or utcnow()
    if hours.is_open(now):
        return ""
    reopens = hours.next_opening(now)
    return f"La Régie rouvre {french_moment(reopens, now)}." if reopens else ""


def waiting_notice(
    session: Session, *, conversation: Conversation, hours: OpeningHours, now: datetime | None = None
) -> Reply | None:
    """The answer to a resident's message in human mode; None while a mediator is writing to them.

    The whole notice (a mediator has it, when one answers, the way back) the
    first time after the handover; then a short one, with the button still
    there, so that a resident who writes five messages does not read it five
    times. A mediator who has written since the handover makes the whole
    notice needless: the resident knows a person is there.
    """
    now = now or utcnow()
    since = conversation.escalated_at or conversation.started_at
    rows = session.execute(
        select(Message.author, Message.buttons, Message.created_at).where(
            Message.conversation_id == conversation.id,
            Message.author.in_((Author.BOT, Author.MEDIATOR)),
            Message.created_at >= since,
        )
    ).all()
    mediator_wrote = [created for author, _, created in rows if author is Author.MEDIATOR]
    if any(created >= now - MEDIATOR_LIVE for created in mediator_wrote):
        return None
    noticed = any(b["payload"] == BACK_TO_ASSISTANT for _, buttons, _ in rows for b in buttons or [])
    if noticed or mediator_wrote:
        text = " ".join(filter(None, [WAITING_AGAIN, reopening(hours, now)]))
    else:
        text = f"{WAITING} {availability(hours, now)} {WAY_BACK}"
    return Reply(text=text, buttons=(BACK_BUTTON,))


def to_bot(conversation: Conversation) -> None:
    """Back to bot mode: the router calls Rasa again and the queue no longer lists the conversation."""
    conversation.mode = Mode.BOT
    conversation.assigned_staff_id = None
    conversation.missed_message_id = None


# The way back in words: a verb of going back or talking, then the assistant, a few words apart
# ("je veux revenir a l'assistant", "retour au robot", "je prefere parler au bot"), or the assistant
# named alone. "menu" alone is not one: a resident waiting for a person may type it, and going back
# costs their place in the queue; the notice's button is one tap away.
_ASSISTANT = r"(assistant|robot|bot|chatbot)\b(?! sociale?\b| sociaux\b)"
_WAY_BACK_WORDS = re.compile(
    r"\b(?:(?:revenir|reviens|revient|retourner|retourne|retour|repasser|repasse|remettre|remettez|remets)"
    rf"(?: \w+){{0,4}}? (?:menu\b|{_ASSISTANT})|(?:parler|reparler|discuter)(?: \w+){{0,4}}? {_ASSISTANT})"
)
_ASSISTANT_ALONE = re.compile(r"^(l |le |a l |au )?(assistant|robot|bot|chatbot)( automatique)?( svp| stp)?$")
# A negation just before the verb turns it round: "je ne veux pas revenir au robot", "plus jamais le bot".
_NEGATION = frozenset({"pas", "plus", "jamais", "ne", "n", "non", "sans"})
NEGATION_WINDOW = 3
MAX_WAY_BACK_WORDS = 15


def asks_for_the_assistant(text: str | None, payload: str | None = None) -> bool:
    """The resident asks, by the button or in explicit words, to leave the mediator for the assistant.

    Conservative on purpose: a sentence written to a person ("mon assistante
    sociale", "je ne veux pas du robot", a long story naming the robot) must
    not throw the resident back to the bot.
    """
    if payload is not None:
        return payload == BACK_TO_ASSISTANT
    if not text:
        return False
    words = re.sub(r"[^a-z0-9]+", " ", plain(text)).strip()
    if _ASSISTANT_ALONE.match(words):
        return True
    if len(words.split()) > MAX_WAY_BACK_WORDS:
        return False
    match = _WAY_BACK_WORDS.search(words)
    if match is None:
        return False
    before = words[: match.start()].split()[-NEGATION_WINDOW:]
    return not _NEGATION.intersection(before + match.group(0).split())
