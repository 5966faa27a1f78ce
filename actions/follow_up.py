"""Follow-ups that lean on the last answer: "pourquoi ?", "et pour y travailler ?", "je fais quoi alors ?".

Alone they ask nothing; after an answer they ask more about it. The last
question and the follow-up are read together: another entry answers when the
pair points to one ("comment devenir bénévole" + "et pour y travailler ?");
otherwise the last answer is given again, as all the bot knows on the
subject, with a mediator for more; never "je n'ai pas compris".
"""

import asyncio
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_data import MEDIATOR_BUTTON
from actions.context import settings
from actions.faq_reply import entry_by_id, utter_entry
from bot.faq.live import live_faq
from bot.services.when import plain

# How a follow-up starts: it leans on what was said before.
FOLLOW_UP_START = re.compile(
    r"^(et|pourquoi|pk|pq|alors|donc|mais|du coup|comment ca|c'?est a dire|ca veut dire|je fais (quoi|koi|comment)|"
    r"on fait (quoi|koi|comment)|je dois faire quoi|et si|et apres|et sinon|dans ce cas|c'?est combien|combien|"
    r"c'?est quand|quand|c'?est ou|ou ca|lequel|laquelle|ah bon|vraiment|comment ca)\b"
)
MAX_FOLLOW_UP_WORDS = 8
# Alone, a follow-up is a question of its own when it scores this much ("et le marc de café ?").
MIN_ALONE_SCORE = 0.0
# Read with the question before, another entry than the last must score this much. Tuned on
# examples of tests/typed/ and of the issue, so fragile: "et pour y travailler ?" after
# volunteering gives the job entry at -0.51; "et pour le gaz ?" after the winter truce, the
# unpaid-bill entry at -0.55 (the truce covers gas: the last answer is given again).
MIN_TOGETHER_SCORE = -0.53
LAST_ENTRY = "last_faq_entry"


def is_follow_up(text: str) -> bool:
    """Whether ``text`` is a short message that leans on the last answer."""
    words = plain(text)
    return len(words.split()) <= MAX_FOLLOW_UP_WORDS and FOLLOW_UP_START.match(words) is not None


def previous_question(tracker: Tracker) -> str:
    """The resident's message before this one (typed text only)."""
    texts = [event.get("text") or "" for event in tracker.events if event.get("event") == "user"]
    earlier = [text for text in texts[:-1] if text and not text.startswith("/")]
    return earlier[-1] if earlier else ""


async def answer_follow_up(dispatcher: CollectingDispatcher, tracker: Tracker, last: str) -> list[dict[str, Any]]:
    """The entry the follow-up asks about (alone, or read with the question before); else the last one again."""
    engine = live_faq(settings().knowledge_dir).engine
    text = tracker.latest_message.get("text") or ""
    # "et le marc de café ?" is a question of its own; "et pour y travailler ?" needs the one before.
    choice = await asyncio.to_thread(engine.choose, text)
    if choice is None or choice.score < MIN_ALONE_SCORE:
        together = await asyncio.to_thread(engine.choose, f"{previous_question(tracker)} {text}", last)
        choice = together if together is not None and together.score >= MIN_TOGETHER_SCORE else None
    if choice is not None:
        utter_entry(dispatcher, choice.entry)
        return [SlotSet(LAST_ENTRY, choice.entry.id)]
    entry = entry_by_id(last)
    if entry is None:
        return []
    # Nothing more in the knowledge base: what it says on the subject, and a person for the rest.
    dispatcher.utter_message(text=f"Voici tout ce que je sais sur « {entry.title} » :")
    utter_entry(dispatcher, entry, follow_ups=False)
    dispatcher.utter_message(text="Un médiateur de la Régie peut vous en dire plus.", buttons=[MEDIATOR_BUTTON])
    return []
