"""Short follow-ups lean on the last answer; a full question does not."""

import pytest
from rasa_sdk import Tracker

from actions.follow_up import is_follow_up, previous_question


@pytest.mark.parametrize("text", ["pourquoi ?", "et pour y travailler ?", "je fais quoi alors ?", "Et pour le gaz"])
def test_a_short_message_leaning_on_the_last_answer_is_a_follow_up(text: str) -> None:
    assert is_follow_up(text)


@pytest.mark.parametrize(
    "text", ["comment trier mes epluchures", "et sinon je voudrais savoir comment on devient salarie de la regie svp"]
)
def test_a_question_of_its_own_is_no_follow_up(text: str) -> None:
    assert not is_follow_up(text)


def test_the_previous_question_is_the_last_typed_one_before_this() -> None:
    events = [
        {"event": "user", "text": "comment devenir benevole"},
        {"event": "bot", "text": "…"},
        {"event": "user", "text": "/affirm"},
        {"event": "user", "text": "et pour y travailler ?"},
    ]
    tracker = Tracker("c1", {}, {"text": "et pour y travailler ?"}, events, False, None, {}, "action_listen")
    assert previous_question(tracker) == "comment devenir benevole"
