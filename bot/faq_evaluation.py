"""``make eval``: how well the bot picks FAQ answers on questions it never saw.

Runs ``rasa test nlu`` on the held-out files of tests/nlu/ (report, confusion
matrices and histograms under reports/nlu/), then replays the dialogue's
choice for each question: intent ``faq`` → the ResponseSelector's entry;
``nlu_fallback`` → the knowledge search; anything else → no FAQ answer.
Writes a one-line summary to reports/summary.txt and fails below the targets.
"""

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.rasa_process import rasa_environment
from bot.settings import PROJECT_ROOT, Settings
from bot.training import train_if_needed

HOLDOUT_DIR = PROJECT_ROOT / "tests" / "nlu"
REPORTS_DIR = PROJECT_ROOT / "reports"
MIN_FAQ_ACCURACY = 0.92
MAX_OUT_OF_SCOPE_ANSWERED = 0.05


@dataclass(frozen=True)
class Prediction:
    """What NLU made of one held-out question, and what it should have been."""

    text: str
    target_intent: str
    intent: str
    target_entry: str | None
    selected_entry: str | None


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


def run_rasa_test(settings: Settings, out: Path) -> None:
    """``rasa test nlu`` with the current model on the held-out files."""
    model = train_if_needed(settings)
    command = [
        str(settings.rasa_executable), "test", "nlu", "--nlu", str(HOLDOUT_DIR),
        "--model", str(model), "--out", str(out), "--successes",
    ]  # fmt: skip
    subprocess.run(command, cwd=PROJECT_ROOT, env=rasa_environment(settings), check=True)


def read_predictions(out: Path) -> list[Prediction]:
    """Join rasa test's intent and response-selection results, by question text."""
    intents = _read_records(out, "intent")
    selections = {r["text"]: r for r in _read_records(out, "response_selection")}
    predictions = []
    for record in intents:
        selection = selections.get(record["text"])
        target_key = selection["intent_response_key_target"] if selection else None
        predictions.append(
            Prediction(
                text=record["text"],
                target_intent=record["intent"],
                intent=record["intent_prediction"]["name"],
                target_entry=target_key.split("/", 1)[1] if target_key else None,
                selected_entry=selection["intent_response_key_prediction"]["name"].split("/", 1)[-1]
                if selection
                else None,
            )
        )
    return predictions


def _read_records(out: Path, kind: str) -> list[dict]:
    records: list[dict] = []
    for outcome in ("successes", "errors"):
        path = out / f"{kind}_{outcome}.json"
        if path.exists():
            records.extend(json.loads(path.read_text()))
    return records


def score(predictions: list[Prediction], search: Callable[[str], str | None]) -> Scores:
    """Replay the dialogue's choice of answer for each question and score it."""

    def answered_entry(p: Prediction) -> str | None:
        if p.intent == "faq":
            return p.selected_entry
        return search(p.text) if p.intent == "nlu_fallback" else None

    faq = [p for p in predictions if p.target_intent == "faq"]
    out_of_scope = [p for p in predictions if p.target_intent == "out_of_scope"]
    correct = sum(answered_entry(p) == p.target_entry for p in faq)
    answered = sum(answered_entry(p) is not None for p in out_of_scope)
    return Scores(
        faq_accuracy=correct / len(faq) if faq else 0.0,
        faq_total=len(faq),
        out_of_scope_answered=answered / len(out_of_scope) if out_of_scope else 1.0,
        out_of_scope_total=len(out_of_scope),
    )


def evaluate(settings: Settings) -> Scores:
    """Run the whole evaluation and write reports/summary.txt."""
    # Imported here: spaCy takes seconds to load and only the search needs it.
    from bot.services.knowledge_search import default_index

    out = REPORTS_DIR / "nlu"
    run_rasa_test(settings, out)
    index = default_index()
    scores = score(read_predictions(out), lambda text: m.entry.id if (m := index.search(text)) else None)
    (REPORTS_DIR / "summary.txt").write_text(scores.summary() + "\n", encoding="utf-8")
    return scores
