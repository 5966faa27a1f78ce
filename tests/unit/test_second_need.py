"""Two needs in one message: the clauses, and the button for the need not handled first."""

from actions.second_need import BOOKING, action_button, clauses, report_of


def test_a_message_is_cut_where_another_need_starts() -> None:
    assert clauses("L'ascenseur est en panne depuis hier, et je voudrais prendre un rdv svp") == [
        "l'ascenseur est en panne depuis hier",
        "je voudrais prendre un rdv svp",
    ]
    assert clauses("bonjour") == []


def test_a_visit_wished_beside_a_report_is_offered_as_a_button() -> None:
    assert action_button("je voudrais prendre un rdv", report_of("lift")) == {
        "title": "Prendre rendez-vous",
        "payload": "/book_visit",
    }
    assert action_button("je voudrais prendre un rdv", BOOKING) is None


def test_a_problem_described_beside_a_booking_is_offered_with_its_category() -> None:
    assert action_button("l'ascenseur est en panne depuis hier", BOOKING) == {
        "title": "Signaler : Ascenseur",
        "payload": '/report_problem{"report_category": "lift"}',
    }
    assert action_button("l'ascenseur est en panne depuis hier", report_of("lift")) is None


def test_two_problems_in_one_message_are_two_reports() -> None:
    button = action_button("des encombrants qui s'entassent devant la porte", report_of("pests"))
    assert button is not None and button["payload"] == '/report_problem{"report_category": "bulky"}'
