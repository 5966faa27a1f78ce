"""``make eval``: how well the bot picks FAQ answers for questions it never saw.

The held-out questions of tests/nlu/ (3 new phrasings per entry, and
out-of-scope questions) are asked through the real stack; each reply is
traced back to the entry it comes from. ``rasa test nlu`` on the same files
writes Rasa's own report and confusion matrices under reports/nlu/.
"""

import json
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.faq import answer_reply
from bot.knowledge import Entry
from bot.nlu_data import nlu_examples
from bot.rasa_process import rasa_environment
from bot.services.privacy import without_notes
from bot.settings import PROJECT_ROOT, Settings
from bot.training import train_if_needed

HOLDOUT_DIR = PROJECT_ROOT / "tests" / "nlu"
REPORTS_DIR = PROJECT_ROOT / "reports"
MIN_FAQ_ACCURACY = 0.92
MAX_OUT_OF_SCOPE_ANSWERED = 0.05


@dataclass(frozen=True)
class Outcome:
    """One held-out question, the entry expected (None: out of scope) and the entry answered."""

    text: str
    expected: str | None
    answered: str | None


@dataclass(frozen=True)
class Scores:
    """The two figures the targets are set on."""

    faq_accuracy: float
    faq_total: int
    out_of_scope_answered: float
    out_of_scope_total: int

    def meets_targets(self) -> bool:
        """Whether both figures are on the right side of their targets."""
        return self.faq_accuracy >= MIN_FAQ_ACCURACY and self.out_of_scope_answered <= MAX_OUT_OF_SCOPE_ANSWERED

    def summary(self) -> str:
        """One line for people and for CI logs."""
        verdict = "OK" if self.meets_targets() else "BELOW TARGET"
        return (
            f"FAQ answer accuracy {self.faq_accuracy:.3f} on {self.faq_total} held-out questions "
            f"(target ≥ {MIN_FAQ_ACCURACY}); out-of-scope answered by a FAQ entry "
            f"{self.out_of_scope_answered:.1%} of {self.out_of_scope_total} "
            f"(target ≤ {MAX_OUT_OF_SCOPE_ANSWERED:.0%}): {verdict}"
        )


def held_out_questions(folder: Path = HOLDOUT_DIR) -> list[tuple[str, str | None]]:
    """(question, expected entry id or None for out of scope), from the held-out files."""
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


def score(outcomes: list[Outcome]) -> Scores:
    """Accuracy on the FAQ questions and the share of out-of-scope ones answered."""
    faq = [o for o in outcomes if o.expected is not None]
    out_of_scope = [o for o in outcomes if o.expected is None]
    return Scores(
        faq_accuracy=sum(o.answered == o.expected for o in faq) / len(faq) if faq else 0.0,
        faq_total=len(faq),
        out_of_scope_answered=sum(o.answered is not None for o in out_of_scope) / len(out_of_scope)
        if out_of_scope
        else 1.0,
        out_of_scope_total=len(out_of_scope),
    )


def write_report(outcomes: list[Outcome], scores: Scores, folder: Path = REPORTS_DIR) -> None:
    """reports/summary.txt (one line) and reports/faq_answers.json (every question's outcome)."""
    folder.mkdir(exist_ok=True)
    (folder / "summary.txt").write_text(scores.summary() + "\n", encoding="utf-8")
    details = [asdict(o) for o in outcomes]
    (folder / "faq_answers.json").write_text(json.dumps(details, ensure_ascii=False, indent=1), encoding="utf-8")


def write_rasa_report(settings: Settings) -> None:
    """``rasa test nlu`` on the held-out files: Rasa's reports and confusion matrices."""
    model = train_if_needed(settings)
    command = [
        str(settings.rasa_executable), "test", "nlu", "--nlu", str(HOLDOUT_DIR),
        "--model", str(model), "--out", str(REPORTS_DIR / "nlu"), "--successes",
    ]  # fmt: skip
    subprocess.run(command, cwd=PROJECT_ROOT, env=rasa_environment(settings), check=True)
