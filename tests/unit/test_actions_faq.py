"""action_answer_faq with tracker fixtures: answer, say what was understood, or fall back."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import booking, booking_data, report, report_data
from actions import faq as faq_action
from actions.faq import ActionAnswerFaq
from bot.faq.entries import answer_reply, load_entries
from bot.models import BookingStatus
from bot.services import booking as booking_service
from tests.factories import booking_request, new_conversation, new_slot, new_tenant

ENTRIES = {entry.id: entry for entry in load_entries()}


@pytest.fixture(autouse=True)
def test_database(settings, monkeypatch):
    """Misses, bookings and requests are looked up in the test database (an unknown conversation counts nothing)."""
    for module in (faq_action, booking, booking_data, report, report_data):
        monkeypatch.setattr(module, "settings", lambda: settings)


def tracker_for(text: str, intent: str, sender: str = "c1", intents: tuple[str, ...] = ()) -> Tracker:
    """``intents``: the NLU's intent ranking after ``intent``, best first."""
    latest = {"text": text, "intent": {"name": intent}, "intent_ranking": [{"name": n} for n in (intent, *intents)]}
    return Tracker(sender, {}, latest, [], False, None, {}, "action_listen")


def owners_booking(settings) -> tuple[int, str, str]:
    """A tenant, a resident's conversation there, and the reference of that resident's coming visit."""
    tenant_id = new_tenant(settings)
    owner = new_conversation(settings, tenant_id)
    booked = booking_service.book(settings.database_url, booking_request(owner, new_slot(settings, tenant_id)))
    return tenant_id, owner, booked.reference


async def run(tracker: Tracker) -> list[dict]:
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    return dispatcher.messages


async def test_a_confident_faq_question_gets_the_answer_and_its_buttons():
    entry = ENTRIES["energy_cant_pay_bill"]

    messages = await run(tracker_for("je peux pas payer ma facture d electricite", "faq"))

    assert len(messages) == 1
    assert messages[0]["text"] == answer_reply(entry).text
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/book_visit"]


async def test_when_nlu_was_unsure_the_bot_says_what_it_understood():
    entry = ENTRIES["biowaste_flies"]

    messages = await run(tracker_for("des moucherons partout autour de mon bioseau", "nlu_fallback"))

    assert messages[0]["text"] == f"Si je comprends bien, votre question est : « {entry.title} »"
    assert messages[1]["text"] == answer_reply(entry).text


@pytest.mark.parametrize(("intent", "intents", "menu"), [("nlu_fallback", ("help",), True), ("faq", ("help",), False)])
async def test_an_unsure_call_for_help_gets_the_menu_not_the_volunteers_entry(intent, intents, menu):
    messages = await run(tracker_for("aidez moi svp", intent, intents=intents))

    assert len(messages) == 1
    assert (messages[0].get("response") == "utter_menu") is menu  # a confident faq reading is still answered


async def test_a_question_the_nlu_read_as_out_of_scope_is_still_answered_when_the_engine_knows_it():
    entry = ENTRIES["energy_cheque_energie_what"]

    messages = await run(tracker_for("c quoi le cheque energie", "out_of_scope"))

    assert messages[0]["text"] == f"Si je comprends bien, votre question est : « {entry.title} »"
    assert messages[1]["text"] == answer_reply(entry).text


async def test_out_of_scope_for_both_the_nlu_and_the_engine_says_what_the_bot_does_and_counts_no_miss(settings):
    sender = new_conversation(settings, new_tenant(settings))

    first = await run(tracker_for("qui a gagne le match de foot hier soir", "out_of_scope", sender=sender))
    second = await run(tracker_for("donne moi une recette de gateau au chocolat", "out_of_scope", sender=sender))

    assert [m.get("response") for m in first + second] == ["utter_out_of_scope", "utter_out_of_scope"]


async def test_no_clear_entry_gives_the_menu_instead_of_a_guess():
    messages = await run(tracker_for("zorglub blorp", "nlu_fallback"))

    assert [message["response"] for message in messages] == ["utter_default"]


async def test_a_booking_reference_the_nlu_missed_gets_that_bookings_buttons_for_its_owner(settings):
    tenant_id, owner, reference = owners_booking(settings)
    text = f"pour le {reference.lower().replace('-', ' ')} svp 07 00 00 00 00"

    mine = await run(tracker_for(text, "nlu_fallback", sender=owner))
    not_mine = await run(tracker_for(text, "nlu_fallback", sender=new_conversation(settings, tenant_id)))

    assert reference in mine[0]["text"]
    assert [b["payload"] for b in mine[0]["buttons"]] == [
        f'/move_booking{{"booking_reference": "{reference}"}}',
        f'/cancel_booking{{"booking_reference": "{reference}"}}',
    ]
    assert f"Je ne trouve pas de rendez-vous à venir {reference}" in not_mine[0]["text"]
    assert not not_mine[0]["buttons"]


@pytest.mark.parametrize("wording", ["je veux annuler le rendez-vous {}", "annulation {} svp", "supprimer {}"])
async def test_a_booking_reference_the_nlu_missed_with_a_cancel_word_asks_to_confirm_the_cancellation(
    settings, wording
):
    _, owner, reference = owners_booking(settings)

    messages = await run(tracker_for(wording.format(reference), "faq", sender=owner))

    assert messages[0]["text"].startswith("Voulez-vous vraiment annuler ce rendez-vous ?")
    assert [b["title"] for b in messages[0]["buttons"]] == ["Oui, annuler", "Non, le garder"]
    assert booking_data.booking_by_reference(reference).status is BookingStatus.BOOKED


async def test_a_wish_for_a_visit_the_nlu_read_as_a_question_starts_the_booking_form(settings):
    tenant_id = new_tenant(settings)
    new_slot(settings, tenant_id)
    resident = new_conversation(settings, tenant_id)
    tracker = tracker_for("je voudrais prendre rendez-vous pour mes factures d'electricite", "faq", resident)

    events = await ActionAnswerFaq().run(CollectingDispatcher(), tracker, {})

    assert SlotSet("booking_topic", "energy") in events and SlotSet("booking_form_ready", True) in events
    assert events[-1] == FollowupAction("booking_form")


@pytest.mark.parametrize("question", ["le rendez-vous est payant ?", "comment se passe la visite a domicile"])
async def test_a_question_about_visits_is_answered_not_taken_for_a_wish(question):
    events = await ActionAnswerFaq().run(CollectingDispatcher(), tracker_for(question, "faq"), {})

    assert FollowupAction("booking_form") not in events


async def test_a_request_reference_the_nlu_missed_is_looked_up_not_answered_from_the_faq():
    messages = await run(tracker_for("ou en est ma demande DEM-ZZZZZZ, mon numero est 06 12 34 56 78", "faq"))

    assert len(messages) == 1
    assert "Je ne trouve pas la demande DEM-ZZZZZZ" in messages[0]["text"]
