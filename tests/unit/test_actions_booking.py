"""The booking form's checks, with tracker fixtures (no database needed for these)."""

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_form import ActionAskBookingConfirmed, ValidateBookingForm
from actions.booking_text import TOPICS, topic_in
from tests.unit.form_checks import run_check
from tests.unit.form_checks import tracker_for as form_tracker
from tests.unit.test_consistency import domain_responses


def tracker_for(text: str, **kwargs: Any) -> Tracker:
    return form_tracker(text, loop="booking_form", **kwargs)


async def validate(slot: str, text: str, **kwargs: Any) -> tuple[dict, list[dict]]:
    return await run_check(ValidateBookingForm(), slot, text, **kwargs)


@pytest.mark.parametrize(("text", "phone"), [("06 12 34 56 78", "+33612345678"), ("+33 7 11 22 33 44", "+33711223344")])
async def test_a_phone_number_is_stored_normalised(text: str, phone: str) -> None:
    assert (await validate("booking_phone", text))[0] == {"booking_phone": phone}


async def test_a_wrong_phone_number_is_asked_again_with_an_example() -> None:
    result, messages = await validate("booking_phone", "06 12")
    assert result == {"booking_phone": None}
    assert "06 12 34 56 78" in messages[0]["text"]


async def test_a_name_is_accepted_and_a_number_is_not() -> None:
    assert (await validate("booking_name", "Awa  Diallo"))[0] == {"booking_name": "Awa Diallo"}
    result, messages = await validate("booking_name", "0612345678")
    assert result == {"booking_name": None} and "prénom et votre nom" in messages[0]["text"]


async def test_an_address_over_300_characters_is_refused_with_its_length() -> None:
    result, messages = await validate("booking_address", "a" * 400)
    assert result == {"booking_address": None}
    assert "400 caractères" in messages[0]["text"]


async def test_a_topic_comes_from_its_button_or_from_the_words() -> None:
    button = await validate(
        "booking_topic", "/choose", intent="choose", entities=[{"entity": "booking_topic", "value": "biowaste"}]
    )
    assert button[0] == {"booking_topic": "biowaste"}
    assert (await validate("booking_topic", "c'est pour l'humidité dans ma chambre"))[0] == {
        "booking_topic": "damp_heating"
    }
    assert (await validate("booking_topic", "un souci"))[0] == {"booking_topic": "other"}


async def test_a_correction_button_empties_that_answer_only() -> None:
    entities = [{"entity": "booking_field", "value": "booking_phone"}]
    result, _ = await validate("booking_confirmed", "/choose", intent="choose", entities=entities)
    assert result == {"booking_phone": None, "booking_confirmed": None}


async def test_anything_but_yes_no_or_a_correction_asks_again() -> None:
    result, messages = await validate("booking_confirmed", "peut-être", intent="greet")
    assert result == {"booking_confirmed": None} and "oui" in messages[0]["text"]


@pytest.mark.parametrize(
    ("text", "changed"),
    [
        ("c'est pas le bon numero c'est le 07 11 22 33 44", {"booking_phone": "+33711223344"}),
        ("non je veux changer le numéro", {"booking_phone": None}),
        ("non, le nom c'est Hélène N'Diaye", {"booking_name": "Hélène N'Diaye"}),
        ("il faut changer l'adresse", {"booking_address": None}),
    ],
)
async def test_a_correction_typed_at_the_recap_changes_that_answer(text: str, changed: dict) -> None:
    result, _ = await validate("booking_confirmed", text, intent="deny")
    assert result == {**changed, "booking_confirmed": None}


async def test_a_marked_correction_mid_form_changes_the_earlier_answer_and_asks_again() -> None:
    text = "ah non pardon, le rendez-vous doit être au nom de mon mari Karim Benali"
    result, messages = await validate("booking_phone", text)
    assert result == {"booking_name": "Karim Benali", "booking_phone": None}
    assert messages[0]["text"] == "C'est corrigé."


@pytest.mark.parametrize(
    ("slot", "text", "value"),
    [
        ("booking_phone", "mon numéro c'est le 06 12 34 56 78", "+33612345678"),
        ("booking_phone", "je n'ai pas de téléphone", "none"),
        ("booking_name", "je m'appelle Jean-Éric Lefèvre", "Jean-Éric Lefèvre"),
    ],
)
async def test_values_are_taken_out_of_a_sentence(slot: str, text: str, value: str) -> None:
    assert (await validate(slot, text))[0] == {slot: value}


async def test_a_greeting_is_no_wrong_answer() -> None:
    result, messages = await validate("booking_phone", "bonjour", intent="greet")
    assert result == {"booking_phone": None} and messages[0]["text"] == "Bonjour !"


async def test_moving_asks_only_for_the_slot_and_the_confirmation() -> None:
    tracker = tracker_for("", booking_moving="RDV-K7M2PQ")
    required = await ValidateBookingForm().required_slots(
        ["booking_topic", "booking_slot", "booking_name"], CollectingDispatcher(), tracker, {}
    )
    assert required == ["booking_slot", "booking_confirmed"]


async def test_without_a_slot_the_recap_asks_for_one() -> None:
    events = await ActionAskBookingConfirmed().run(CollectingDispatcher(), tracker_for("non", intent="deny"), {})
    assert events == [{"event": "slot", "timestamp": None, "name": "booking_slot", "value": None}]


def test_every_topic_button_of_the_domain_is_a_known_topic() -> None:
    payloads = [b["payload"] for b in domain_responses()["utter_ask_booking_topic"][0]["buttons"]]
    assert sorted(p.split('"')[3] for p in payloads) == sorted(TOPICS)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("rdv pour ma facture edf", "energy"),
        ("moisissures dans la salle de bain", "damp_heating"),
        ("le tri des epluchures", "biowaste"),
        ("mon voisin fait du bruit", "neighbours"),
        ("aide pour mon dossier caf", "paperwork"),
        ("je veux prendre rendez vous", None),
    ],
)
def test_topics_are_recognised_in_everyday_words(text: str, topic: str | None) -> None:
    assert topic_in(text) == topic


async def test_a_question_typed_without_a_question_mark_is_not_taken_for_a_name() -> None:
    result, messages = await validate("booking_name", "comment on trie les dechets")
    assert result == {"booking_name": None}
    assert messages[-1]["text"] == "Reprenons votre rendez-vous."
