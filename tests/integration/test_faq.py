"""FAQ answers from knowledge/ through POST /api/chat, on the real stack."""

import uuid

from bot.faq.entries import load_entries

ENTRIES = {entry.id: entry for entry in load_entries()}


def ask(api, text: str) -> dict:
    response = api.post("/api/chat", json={"sender_id": uuid.uuid4().hex, "text": text})
    assert response.status_code == 200
    return response.json()


def test_a_faq_question_gets_the_entry_answer_with_its_source(api):
    entry = ENTRIES["energy_cheque_energie_what"]

    body = ask(api, "c quoi le cheque energie")

    text = body["replies"][0]["text"]
    assert text.startswith(entry.answer[:60])
    assert f"Source : {entry.sources[0].title}" in text


def test_an_answer_offers_its_follow_up_buttons(api):
    body = ask(api, "je peux pas payer ma facture d electricite")

    payloads = [b["payload"] for r in body["replies"] for b in r.get("buttons", [])]
    assert payloads == ["/book_visit"]
