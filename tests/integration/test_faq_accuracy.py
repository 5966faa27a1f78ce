"""FAQ answers on held-out questions, through POST /api/chat (make eval).

``make eval`` holds the issue's targets (FAQ_TARGETS=strict). ``make test``
holds regression guards a little behind the figures reached so far (accuracy
0.743, the 0.92 target not met yet; out-of-scope 1 of 30 answered), with room
for a model retrained from scratch: a change that makes answers clearly worse
fails. reports/summary.txt has the current figures.
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

# Regression guards with room for a retrained model; the targets are in `make eval`.
# With the booking intents, 3 of the 30 out-of-scope questions get an FAQ answer (1 before).
REGRESSION_FLOOR_ACCURACY = 0.70
REGRESSION_CEILING_OUT_OF_SCOPE = 0.15


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
