"""Two needs in one message through POST /api/chat: the first is handled, the second offered, never dropped."""

import httpx

from tests.integration.booking_chat import Resident, new_tenant
from tests.integration.stack import Stack


def test_a_problem_then_a_visit_reports_first_and_offers_the_visit_when_the_report_is_recorded(
    api: httpx.Client, stack: Stack
) -> None:
    resident = Resident(api, new_tenant(stack.settings))

    first = resident.say("l'ascenseur est en panne depuis hier, et je voudrais aussi un rdv pour mes factures")
    assert "signalement" in first and "Je note aussi « Prendre rendez-vous »" in first
    resident.say("Résidence Les Tilleuls, bât. A")
    resident.say("pas de photo")
    resident.say("06 12 34 56 78")
    done = resident.say("non")

    assert "DEM-" in done
    assert "Prendre rendez-vous" in resident.button_titles()
    # The visit keeps what the message said of it: the topic is not asked again.
    assert "Voici les prochains créneaux" in resident.tap("Prendre rendez-vous")


def test_a_question_and_a_problem_answers_the_question_and_offers_the_report(api: httpx.Client, stack: Stack) -> None:
    resident = Resident(api, new_tenant(stack.settings))

    answer = resident.say("c'est quoi le chèque énergie ? et sinon les poubelles débordent dans le local")

    assert "chèque énergie" in answer and "Vous parliez aussi de ceci" in answer
    assert "Signaler : Local poubelles et déchets" in resident.button_titles()
