"""The FAQ engine's training texts besides the entries, and the fixed routing sample DIET learns ``faq`` from.

The engine's "no answer" class learns from the ``out_of_scope`` examples of
nlu/ (the same ones DIET learns) and from knowledge/no_answer.yml (messages
with no question of their own, which Rasa does not learn). Evaluation reads
the held-out and development questions from files in Rasa's NLU format.
"""

from itertools import dropwhile
from pathlib import Path

import yaml

from bot.faq.entries import Entry, KnowledgeError, load_entries
from bot.settings import PROJECT_ROOT

NLU_DIR = PROJECT_ROOT / "nlu"
ROUTING_FILE = NLU_DIR / "faq.yml"
ROUTING_PER_ENTRY = 8
ROUTING_START = "- intent: faq\n  examples: |\n"
NO_ANSWER_FILE = "no_answer.yml"


def nlu_examples(path: Path) -> list[tuple[str, str]]:
    """(intent, example) for every intent example of one NLU file, in file order."""
    blocks = yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []
    return [
        (block["intent"], line.strip().removeprefix("- ").strip())
        for block in blocks
        if "intent" in block
        for line in block.get("examples", "").splitlines()
        if line.strip()
    ]


def out_of_scope_examples(folder: Path = NLU_DIR) -> list[str]:
    """The examples of intent ``out_of_scope`` in the NLU training files."""
    return [
        text for path in sorted(folder.glob("*.yml")) for intent, text in nlu_examples(path) if intent == "out_of_scope"
    ]


def no_answer_examples(knowledge_dir: Path) -> list[str]:
    """The messages of ``knowledge_dir``/no_answer.yml (none when the file is absent)."""
    path = knowledge_dir / NO_ANSWER_FILE
    if not path.exists():
        return []
    try:
        examples = yaml.safe_load(path.read_text(encoding="utf-8"))["examples"]
    except (yaml.YAMLError, TypeError, KeyError) as error:
        raise KnowledgeError(f"{path}: expected a list under 'examples:' ({error})") from error
    if not isinstance(examples, list) or not all(isinstance(e, str) and e.strip() for e in examples):
        raise KnowledgeError(f"{path}: every example must be a non-empty text")
    return [example.strip() for example in examples]


def valid_entry_count(knowledge_dir: Path) -> int:
    """Check ``knowledge_dir`` as a reload will (entries and no-answer messages); the number of entries.

    ``KnowledgeError`` names the first file refused and why.
    """
    no_answer_examples(knowledge_dir)
    return len(load_entries(knowledge_dir))


def routing_sample(entries: list[Entry], per_entry: int = ROUTING_PER_ENTRY) -> list[str]:
    """``per_entry`` questions of each entry, spread over its list (the first ones are the plainest)."""
    return [
        entry.questions[index * len(entry.questions) // per_entry]
        for entry in entries
        for index in range(min(per_entry, len(entry.questions)))
    ]


def write_routing_sample(entries: list[Entry], path: Path = ROUTING_FILE) -> int:
    """Rewrite the examples of intent ``faq`` in ``path``, leaving its comments and rules; return their number."""
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(ROUTING_START)
    # The block ends at the first line that is not one of its examples.
    tail = "".join(dropwhile(lambda line: line.startswith("    - "), rest.splitlines(keepends=True)))
    sample = routing_sample(entries)
    block = ROUTING_START + "".join(f"    - {question}\n" for question in sample)
    path.write_text(head + block + tail, encoding="utf-8")
    return len(sample)
