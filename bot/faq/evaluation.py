"""``make eval``: how well the bot picks FAQ answers for questions it never saw.

Two sets of questions, in Rasa's NLU format: tests/nlu_dev/ to tune on, and
tests/nlu/, held out, only measured. Each question is asked through the real
stack and the reply traced back to the entry it comes from. The scores, the
most frequent confusions and every outcome land under reports/.
"""

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.faq.entries import Entry, answer_reply
from bot.faq.training_data import nlu_examples
from bot.services.privacy import without_notes
from bot.settings import PROJECT_ROOT

HOLDOUT_DIR = PROJECT_ROOT / "tests" / "nlu"
DEVELOPMENT_DIR = PROJECT_ROOT / "tests" / "nlu_dev"
REPORTS_DIR = PROJECT_ROOT / "reports"


@dataclass(frozen=True)
class Targets:
    """The least accuracy and the most out-of-scope questions answered that a set may show."""

    min_faq_accuracy: float
    max_out_of_scope_answered: int


# Issue 17's targets: `make eval` holds them on both sets. The held-out set
# reached 0.946 (210 of 222) on 2026-12-07, one question short, so `make test`
# holds a regression guard there (one question under the figure reached, not
# a figure tuned on it) and the targets on the development set, where they are met.
TARGETS = Targets(min_faq_accuracy=0.95, max_out_of_scope_answered=1)
HELD_OUT_GUARD = Targets(min_faq_accuracy=0.94, max_out_of_scope_answered=1)
CONFUSIONS_SHOWN = 8
NO_ANSWER = "(pas de réponse)"


@dataclass(frozen=True)
class Outcome:
    """One question, the entry expected (None: out of scope) and the entry answered."""

    text: str
    expected: str | None
    answered: str | None


@dataclass(frozen=True)
class Scores:
    """The figures the targets are set on, for one set of questions."""

    name: str
    faq_correct: int
    faq_total: int
    out_of_scope_answered: int
    out_of_scope_total: int

    @property
    def faq_accuracy(self) -> float:
        """The share of FAQ questions answered with the expected entry."""
        return self.faq_correct / self.faq_total if self.faq_total else 0.0

    def meets(self, targets: Targets = TARGETS) -> bool:
        """Whether both figures are on the right side of ``targets``."""
        return (
            self.faq_accuracy >= targets.min_faq_accuracy
            and self.out_of_scope_answered <= targets.max_out_of_scope_answered
        )

    def summary(self) -> str:
        """One line for people and for CI logs, against the issue's targets."""
        verdict = "OK" if self.meets() else "BELOW TARGET"
        return (
            f"{self.name}: FAQ answer accuracy {self.faq_accuracy:.3f} ({self.faq_correct}/{self.faq_total}, "
            f"target ≥ {TARGETS.min_faq_accuracy}); out-of-scope answered by a FAQ entry "
            f"{self.out_of_scope_answered} of {self.out_of_scope_total} "
            f"(target ≤ {TARGETS.max_out_of_scope_answered}): {verdict}"
        )


def questions(folder: Path) -> list[tuple[str, str | None]]:
    """(question, expected entry id or None for out of scope), from the NLU files of ``folder``."""
    return [
        (text, intent.removeprefix("faq/") if intent.startswith("faq/") else None)
        for path in sorted(folder.glob("*.yml"))
        for intent, text in nlu_examples(path)
    ]


def answer_ids(entries: list[Entry]) -> dict[str, str]:
    """Each entry's answer text (as the bot sends it) → the entry's id."""
    return {answer_reply(entry).text: entry.id for entry in entries}


def entry_of_replies(replies: list[dict], answers: dict[str, str]) -> str | None:
    """The id of the entry whose answer is among ``replies`` (API shape), if any."""
    # The router may append its privacy notes to the answer (first turn, sensitive words).
    texts = (without_notes(r.get("text") or "") for r in replies)
    return next((answers[text] for text in texts if text in answers), None)


def score(name: str, outcomes: list[Outcome]) -> Scores:
    """Correct FAQ answers and out-of-scope questions answered, out of how many."""
    faq = [o for o in outcomes if o.expected is not None]
    out_of_scope = [o for o in outcomes if o.expected is None]
    return Scores(
        name=name,
        faq_correct=sum(o.answered == o.expected for o in faq),
        faq_total=len(faq),
        out_of_scope_answered=sum(o.answered is not None for o in out_of_scope),
        out_of_scope_total=len(out_of_scope),
    )


def confusions(outcomes: list[Outcome]) -> list[str]:
    """The most frequent mistakes, as "expected → answered (count)" lines."""
    mistakes = Counter(
        (o.expected or "hors sujet", o.answered or NO_ANSWER) for o in outcomes if o.answered != o.expected
    )
    return [
        f"{expected} → {answered} ({count})" for (expected, answered), count in mistakes.most_common(CONFUSIONS_SHOWN)
    ]


def write_report(name: str, outcomes: list[Outcome], scores: Scores, folder: Path = REPORTS_DIR) -> str:
    """reports/<name>.txt (the scores and the confusions) and reports/<name>.json (every outcome); returns the text."""
    folder.mkdir(exist_ok=True)
    text = "\n".join([scores.summary(), "most frequent confusions:", *(f"  {line}" for line in confusions(outcomes))])
    (folder / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    details = [asdict(o) for o in outcomes]
    (folder / f"{name}.json").write_text(json.dumps(details, ensure_ascii=False, indent=1), encoding="utf-8")
    return text
