"""FAQ answers on held-out questions, through POST /api/chat (make eval).

``make eval`` holds the issue's targets (FAQ_TARGETS=strict). ``make test``
holds the out-of-scope target, which is met, and a regression floor for the
accuracy, a little under the 0.74 reached so far (the 0.92 target is not met
yet): a change that makes answers worse fails. reports/summary.txt has the
current figures.
"""

import os
import uuid

from bot.faq_evaluation import (
    MAX_OUT_OF_SCOPE_ANSWERED,
    Outcome,
    entry_of_replies,
    held_out_questions,
    score,
    write_report,
)
from bot.knowledge import load_entries

REGRESSION_FLOOR_ACCURACY = 0.70


def test_faq_answers_on_held_out_questions(api):
    entries = load_entries()
    outcomes = []
    for text, expected in held_out_questions():
        response = api.post("/api/chat", json={"sender_id": uuid.uuid4().hex, "text": text})
        assert response.status_code == 200, text
        outcomes.append(Outcome(text, expected, entry_of_replies(response.json()["replies"], entries)))

    scores = score(outcomes)
    write_report(outcomes, scores)

    assert scores.faq_total >= 3 * len(entries) and scores.out_of_scope_total >= 30
    if os.environ.get("FAQ_TARGETS") == "strict":
        assert scores.meets_targets(), scores.summary()
    assert scores.faq_accuracy >= REGRESSION_FLOOR_ACCURACY, scores.summary()
    assert scores.out_of_scope_answered <= MAX_OUT_OF_SCOPE_ANSWERED, scores.summary()
