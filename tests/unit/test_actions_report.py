"""The report form's checks and its start, with tracker fixtures (the database-bound ones run in integration)."""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import report_data
from actions.report import ActionStartReport
from actions.report_form import ActionAskReportPhoto, ValidateReportForm
from actions.report_text import category_buttons
from bot.rasa_client import parse_replies
from bot.services.request_categories import CATEGORIES
from tests.unit.form_checks import run_check
from tests.unit.form_checks import tracker_for as form_tracker


def tracker_for(text: str, **kwargs: Any) -> Tracker:
    return form_tracker(text, loop="report_form", **kwargs)


async def validate(slot: str, text: str, **kwargs: Any) -> tuple[dict, list[dict]]:
    return await run_check(ValidateReportForm(), slot, text, **kwargs)


def set_slots(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot" and e["value"] is not None}


async def test_a_first_message_naming_the_problem_fills_category_spot_and_description() -> None:
    text = "il y a des encombrants dans le local poubelle"
    events = await ActionStartReport().run(CollectingDispatcher(), tracker_for(text, intent="report_problem"), {})

    assert set_slots(events) == {
        "report_category": "bulky",
        "report_spot": "local poubelle",
        "report_description": text,
        "report_form_ready": True,
    }


async def test_a_bare_request_to_report_fills_nothing() -> None:
    for text in ("signaler un problème", "/report_problem"):
        events = await ActionStartReport().run(CollectingDispatcher(), tracker_for(text, intent="report_problem"), {})
        assert set_slots(events) == {"report_form_ready": True}


async def test_a_question_about_a_report_already_made_starts_none(settings, monkeypatch) -> None:
    monkeypatch.setattr(report_data, "settings", lambda: settings)
    text = "du nouveau pour la lumiere du hall que j'ai signalee ?"
    dispatcher = CollectingDispatcher()
    events = await ActionStartReport().run(dispatcher, tracker_for(text, intent="report_problem"), {})
    assert set_slots(events) == {"report_form_ready": False}
    assert "aucune demande" in dispatcher.messages[0]["text"]


async def test_a_category_comes_from_its_button_or_from_the_words_else_other() -> None:
    button = await validate(
        "report_category", "/choose", intent="choose", entities=[{"entity": "report_category", "value": "lift"}]
    )
    assert button[0] == {"report_category": "lift"}
    assert (await validate("report_category", "des cafards partout"))[0] == {"report_category": "pests"}
    assert (await validate("report_category", "un truc bizarre"))[0] == {"report_category": "other"}


def test_every_category_has_a_button_and_its_payload_is_short_enough() -> None:
    buttons = category_buttons()
    assert len(buttons) == len(CATEGORIES)
    assert all(len(b["payload"]) <= 200 and len(b["title"]) <= 64 for b in buttons)


async def test_a_description_over_1000_characters_is_refused() -> None:
    result, messages = await validate("report_description", "a" * 1001)
    assert result == {"report_description": None} and "1000" in messages[0]["text"]


async def test_no_photo_by_its_button_or_in_words() -> None:
    button = await validate(
        "report_photo", "/choose", intent="choose", entities=[{"entity": "report_photo", "value": "none"}]
    )
    assert button[0] == {"report_photo": "none"}
    assert (await validate("report_photo", "non merci"))[0] == {"report_photo": "none"}
    assert (await validate("report_photo", "pas de photo"))[0] == {"report_photo": "none"}


async def test_typed_text_is_no_photo() -> None:
    result, messages = await validate("report_photo", "la voici", intent="affirm")
    assert result == {"report_photo": None} and "Pas de photo" in messages[0]["text"]


async def test_a_phone_is_optional_and_checked() -> None:
    assert (await validate("report_phone", "06 12 34 56 78"))[0] == {"report_phone": "+33612345678"}
    assert (await validate("report_phone", "passer"))[0] == {"report_phone": "none"}
    result, messages = await validate("report_phone", "0612")
    assert result == {"report_phone": None} and "10 chiffres" in messages[0]["text"]


async def test_anything_but_yes_or_no_asks_again_whether_to_be_told() -> None:
    result, messages = await validate("report_notify", "bof", intent="greet")
    assert result == {"report_notify": None} and "oui" in messages[0]["text"]


async def test_an_already_reported_problem_only_asks_whether_to_be_told() -> None:
    tracker = tracker_for("", report_duplicate="DEM-K7P3QX")
    required = await ValidateReportForm().required_slots(
        ["report_category", "report_place", "report_description", "report_photo"], CollectingDispatcher(), tracker, {}
    )
    assert required == ["report_category", "report_place", "report_notify"]


async def test_the_photo_question_is_marked_for_the_router() -> None:
    dispatcher = CollectingDispatcher()
    await ActionAskReportPhoto().run(dispatcher, tracker_for(""), {})

    rest_items = [
        {"text": m.get("text"), "buttons": m.get("buttons"), "custom": m.get("custom")} for m in dispatcher.messages
    ]
    (reply,) = parse_replies(rest_items)
    assert reply.expects_photo and reply.buttons[0].title == "Pas de photo"
