"""FAQ answers on held-out questions, through POST /api/chat (make test, make eval).

``make eval`` holds the issue's targets (FAQ_TARGETS=strict); they are not met
yet (reports/summary.txt has the current figures). ``make test`` holds
regression guards a little behind the figures reached (accuracy 0.905, 2 of
30 out-of-scope questions answered, with the model of this commit), with room
for a model retrained from scratch: a change that answers clearly worse fails.
"""

import os
import uuid

from bot.faq_evaluation import (
    Outcome,
    answer_ids,
    entry_of_replies,
    held_out_questions,
    score,
    write_report,
)
from bot.knowledge import load_entries

REGRESSION_FLOOR_ACCURACY = 0.87
REGRESSION_CEILING_OUT_OF_SCOPE = 0.10


def test_faq_answers_on_held_out_questions(api):
    entries = load_entries()
    answers = answer_ids(entries)
    outcomes = []
    for text, expected in held_out_questions():
        response = api.post("/api/chat", json={"sender_id": uuid.uuid4().hex, "text": text})
        assert response.status_code == 200, text
        outcomes.append(Outcome(text, expected, entry_of_replies(response.json()["replies"], answers)))

    scores = score(outcomes)
    write_report(outcomes, scores)

    assert scores.faq_total >= 3 * len(entries) and scores.out_of_scope_total >= 30
    if os.environ.get("FAQ_TARGETS") == "strict":
        assert scores.meets_targets(), scores.summary()
    assert scores.faq_accuracy >= REGRESSION_FLOOR_ACCURACY, scores.summary()
    assert scores.out_of_scope_answered <= REGRESSION_CEILING_OUT_OF_SCOPE, scores.summary()
