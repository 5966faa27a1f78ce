"""The FAQ targets, measured on held-out questions through POST /api/chat (make eval)."""

import uuid

from bot.faq_evaluation import Outcome, entry_of_replies, held_out_questions, score, write_report
from bot.knowledge import load_entries


def test_faq_answers_meet_the_targets_on_held_out_questions(api):
    entries = load_entries()
    outcomes = []
    for text, expected in held_out_questions():
        response = api.post("/api/chat", json={"sender_id": uuid.uuid4().hex, "text": text})
        assert response.status_code == 200, text
        outcomes.append(Outcome(text, expected, entry_of_replies(response.json()["replies"], entries)))

    scores = score(outcomes)
    write_report(outcomes, scores)

    assert scores.faq_total >= 3 * len(entries) and scores.out_of_scope_total >= 30
    assert scores.meets_targets(), scores.summary()
