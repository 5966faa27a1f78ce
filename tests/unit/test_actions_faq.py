"""action_answer_faq with tracker fixtures: answer, say what was understood, or fall back."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import faq as faq_action
from actions.faq import ActionAnswerFaq
from bot.faq import answer_reply
from bot.knowledge import load_entries

ENTRIES = {entry.id: entry for entry in load_entries()}


@pytest.fixture(autouse=True)
def test_database(settings, monkeypatch):
    """A miss is counted in the database (an unknown conversation, here, counts nothing)."""
    monkeypatch.setattr(faq_action, "settings", lambda: settings)


def tracker_for(text: str, intent: str, selector: dict[str, float]) -> Tracker:
    ranking = [{"intent_response_key": f"faq/{key}", "confidence": value} for key, value in selector.items()]
    latest = {"text": text, "intent": {"name": intent}, "response_selector": {"faq": {"ranking": ranking}}}
    return Tracker("c1", {}, latest, [], False, None, {}, "action_listen")


async def run(tracker: Tracker) -> list[dict]:
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    return dispatcher.messages


async def test_a_confident_faq_question_gets_the_answer_and_its_buttons():
    entry = ENTRIES["energy_cant_pay_bill"]

    messages = await run(tracker_for("je peux pas payer ma facture d electricite", "faq", {entry.id: 0.95}))

    assert len(messages) == 1
    assert messages[0]["text"] == answer_reply(entry).text
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/book_visit"]


async def test_when_nlu_was_unsure_the_bot_says_what_it_understood():
    entry = ENTRIES["biowaste_flies"]

    messages = await run(tracker_for("des moucherons partout autour de mon bioseau", "nlu_fallback", {entry.id: 0.6}))

    assert messages[0]["text"] == f"Si je comprends bien, votre question est : « {entry.title} »"
    assert messages[1]["text"] == answer_reply(entry).text


async def test_no_clear_entry_gives_the_menu_instead_of_a_guess():
    messages = await run(tracker_for("zorglub blorp", "nlu_fallback", {}))

    assert [message["response"] for message in messages] == ["utter_default"]


async def test_a_booking_reference_the_nlu_missed_gets_that_bookings_buttons():
    messages = await run(tracker_for("annuler rdv 5su82k svp", "nlu_fallback", {}))

    assert "RDV-5SU82K" in messages[0]["text"]
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        '/move_booking{"booking_reference": "RDV-5SU82K"}',
        '/cancel_booking{"booking_reference": "RDV-5SU82K"}',
    ]
