"""knowledge/ is well formed, and a malformed entry is refused with its file and reason."""

import re
import shutil
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from bot.faq.entries import KNOWLEDGE_DIR, KnowledgeError, answer_reply, load_entries
from bot.faq.training_data import (
    ROUTING_FILE,
    nlu_examples,
    no_answer_examples,
    routing_sample,
    write_routing_sample,
)
from bot.settings import PROJECT_ROOT

ENTRIES = load_entries()
HOLDOUT_DIR = PROJECT_ROOT / "tests" / "nlu"
DEVELOPMENT_DIR = PROJECT_ROOT / "tests" / "nlu_dev"
MINIMUM_PER_TOPIC = {"biowaste": 18, "energy": 22, "regie": 15, "landlord": 15}


def holdout_examples(folder: Path = HOLDOUT_DIR) -> dict[str, list[str]]:
    examples: dict[str, list[str]] = {}
    for path in folder.glob("*.yml"):
        for intent, text in nlu_examples(path):
            examples.setdefault(intent, []).append(text)
    return examples


def test_each_topic_has_enough_entries():
    counts = Counter(entry.topic for entry in ENTRIES)
    for topic, minimum in MINIMUM_PER_TOPIC.items():
        assert counts[topic] >= minimum, topic


def comparable(text: str) -> str:
    """Lower case, no accents, words only: "Combien ça coûte ?" and "combien ca coute" are one question."""
    plain = "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if unicodedata.category(c) != "Mn")
    return " ".join(re.findall(r"\w+", plain))


def trained_examples() -> set[str]:
    """Every NLU training example: the entries' questions and the hand-written files of nlu/."""
    examples = {q for entry in ENTRIES for q in entry.questions}
    for path in (PROJECT_ROOT / "nlu").glob("*.yml"):
        examples.update(text for _, text in nlu_examples(path))
    examples.update(no_answer_examples(KNOWLEDGE_DIR))
    return {comparable(text) for text in examples}


def test_every_entry_has_three_held_out_questions_never_trained_on():
    held_out = holdout_examples()
    for entry in ENTRIES:
        assert len(held_out.get(f"faq/{entry.id}", [])) >= 3, entry.id
    assert set(held_out) - {"out_of_scope"} == {f"faq/{entry.id}" for entry in ENTRIES}
    assert len(held_out["out_of_scope"]) >= 30


def test_no_held_out_or_development_question_is_a_training_example():
    # tests/nlu_dev/ tunes the FAQ thresholds, tests/nlu/ measures them: neither is trained on.
    trained = trained_examples()
    untrained = [
        text
        for folder in (HOLDOUT_DIR, DEVELOPMENT_DIR)
        for texts in holdout_examples(folder).values()
        for text in texts
    ]
    assert len(untrained) >= 2 * 3 * len(ENTRIES)
    assert not [text for text in untrained if comparable(text) in trained]


def test_every_answer_ends_with_its_sources_and_offers_only_known_buttons():
    for entry in ENTRIES:
        reply = answer_reply(entry)
        assert reply.text.startswith(entry.answer)
        assert all(source.url in reply.text for source in entry.sources)
        assert {b.payload for b in reply.buttons} <= {"/book_visit", "/report_problem", "/request_human"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("examples: [ok, '']\n", "non-empty text"),
        ("- une liste\n", "under 'examples:'"),
        ("a: [b\n", "under 'examples:'"),
    ],
)
def test_a_malformed_no_answer_file_is_refused_with_its_name(tmp_path, text, reason):
    (tmp_path / "no_answer.yml").write_text(text)

    with pytest.raises(KnowledgeError, match=re.escape(reason)) as error:
        no_answer_examples(tmp_path)
    assert "no_answer.yml" in str(error.value)


def test_the_routing_sample_takes_questions_of_every_entry_spread_over_its_list():
    sample = routing_sample(ENTRIES, per_entry=4)

    assert len(sample) == 4 * len(ENTRIES)
    first = ENTRIES[0].questions
    assert sample[:4] == [first[0], first[len(first) // 4], first[len(first) // 2], first[3 * len(first) // 4]]


def test_rewriting_the_routing_sample_keeps_the_file_s_comments_and_rules(tmp_path):
    path = tmp_path / "faq.yml"
    shutil.copy(ROUTING_FILE, path)

    count = write_routing_sample(ENTRIES[:2], path)

    examples = nlu_examples(path)
    assert count == len(examples) == 16 and {intent for intent, _ in examples} == {"faq"}
    text = path.read_text()
    assert text.startswith(ROUTING_FILE.read_text().split("nlu:")[0])
    assert text.count("- rule:") == ROUTING_FILE.read_text().count("- rule:") == 3


def replace_in_copy(tmp_path, name: str, old: str, new: str):
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, root)
    path = next(root.glob(f"*/{name}.md"))
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return root


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("id: energy_fsl\n", "", "missing field(s): id"),
        ("audience: resident", "audience: everyone", "audience must be one of"),
        ("url: https://", "url: htps://", "is not an http(s) URL"),
        ("follow_up: [book_visit]", "follow_up: [call_me]", "unknown follow_up"),
        ("updated: 2026-11-25", "updated: yesterday", "Invalid isoformat"),
        ("---\n", "", "no front matter"),
    ],
)
def test_a_malformed_entry_names_its_file_and_the_reason(tmp_path, old, new, reason):
    root = replace_in_copy(tmp_path, "energy_fsl", old, new)

    with pytest.raises(KnowledgeError, match=re.escape(reason)) as error:
        load_entries(root)
    assert "energy_fsl.md" in str(error.value)


def test_an_answer_too_long_is_refused(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, root)
    path = root / "energy" / "energy_fsl.md"
    path.write_text(path.read_text() + "x" * 700)

    with pytest.raises(KnowledgeError, match=r"energy_fsl\.md: answer of"):
        load_entries(root)


def test_a_question_in_two_entries_is_refused(tmp_path):
    root = replace_in_copy(
        tmp_path, "energy_fsl", "  - c'est quoi le FSL\n", "  - c'est quoi le FSL\n  - c quoi le cheque energie\n"
    )

    with pytest.raises(KnowledgeError, match="is also in"):
        load_entries(root)


def test_too_few_question_variants_is_refused(tmp_path):
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, root)
    path = root / "energy" / "energy_fsl.md"
    head, body = path.read_text().split("\nsources:", 1)
    questions = head.split("questions:\n", 1)
    kept = "".join(questions[1].splitlines(keepends=True)[:3])
    path.write_text(f"{questions[0]}questions:\n{kept}sources:{body}")

    with pytest.raises(KnowledgeError, match=r"energy_fsl\.md: .*distinct questions"):
        load_entries(root)
