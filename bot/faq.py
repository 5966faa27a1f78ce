"""FAQ answers and Rasa training data, generated from the knowledge base.

knowledge/ is the only place an answer is written: the retrieval intent
``faq/<id>`` (examples = the entry's questions) and the response
``utter_faq/<id>`` are written from it at train time, into files git ignores.
"""

from pathlib import Path

import yaml

from bot.knowledge import FOLLOW_UPS, Entry, load_entries
from bot.services.conversations import Button, Reply
from bot.settings import PROJECT_ROOT

GENERATED_NLU = PROJECT_ROOT / "nlu" / "faq.generated.yml"
GENERATED_DOMAIN = PROJECT_ROOT / "domain" / "faq.generated.yml"
HEADER = "# Generated from knowledge/ by `python -m bot.cli generate`: edit knowledge/, not this file.\n"


def answer_reply(entry: Entry) -> Reply:
    """The bot's message for an entry: the answer, its sources, its follow-up buttons."""
    sources = "\n".join(f"Source : {source.title} — {source.url}" for source in entry.sources)
    buttons = tuple(Button(title=FOLLOW_UPS[name][0], payload=FOLLOW_UPS[name][1]) for name in entry.follow_up)
    # One line break only: Rasa's REST channel splits a text at blank lines.
    return Reply(text=f"{entry.answer}\n{sources}", buttons=buttons)


def training_data(entries: list[Entry]) -> tuple[dict, dict]:
    """The NLU data and the domain part of the FAQ, as Rasa's YAML structures."""
    nlu = {
        "version": "3.1",
        "nlu": [
            {"intent": f"faq/{entry.id}", "examples": "".join(f"- {q}\n" for q in entry.questions)} for entry in entries
        ],
    }
    responses = {}
    for entry in entries:
        reply = answer_reply(entry)
        response: dict = {"text": reply.text}
        if reply.buttons:
            response["buttons"] = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
        responses[f"utter_faq/{entry.id}"] = [response]
    return nlu, {"version": "3.1", "intents": ["faq"], "responses": responses}


def write_training_data(nlu_path: Path = GENERATED_NLU, domain_path: Path = GENERATED_DOMAIN) -> int:
    """Write the generated files (only when their content changes); return the number of entries."""
    entries = load_entries()
    for path, data in zip((nlu_path, domain_path), training_data(entries), strict=True):
        text = HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return len(entries)
