"""Tune the FAQ blend (bot/services/faq_answer.py) on the development questions.

Asks Rasa (the current model, in .venv-rasa) how it reads every question of
tests/nlu_dev/, ranks the entries with the knowledge search once, then tries
each blend of the grid and prints the trade-off: for each share of
out-of-scope questions answered, the blend with the best accuracy. Its
out-of-scope questions borrow our topics' words; its FAQ questions of
faq_hard.yml are as hard as the held-out ones. The held-out questions of
tests/nlu/ are never used here: make test scores them.
Run with ``python -m bench.faq_blend``.
"""

import itertools
import json
import subprocess
import tempfile
from pathlib import Path

from bot.faq_evaluation import Outcome, Scores, held_out_questions, score
from bot.rasa_process import rasa_environment
from bot.services.faq_answer import BLEND, Blend, pick, selector_ranking
from bot.services.knowledge_search import Ranking, default_index
from bot.settings import PROJECT_ROOT, Settings
from bot.training import train_if_needed

DEVELOPMENT_DIR = PROJECT_ROOT / "tests" / "nlu_dev"
FAQ_INTENTS = {"faq", "nlu_fallback"}  # the intents that run action_answer_faq
GRID = [
    Blend(weight, temperature, min_score, margin)
    for weight, temperature, min_score, margin in itertools.product(
        (0.3, 0.4, 0.5, 0.6, 0.7),
        (0.01, 0.02, 0.03, 0.05),
        (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5),
        (0.0, 0.05, 0.1),
    )
]


def rasa_readings(settings: Settings, texts: list[str]) -> list[dict]:
    """Rasa's intent and response selector data for each text."""
    model = train_if_needed(settings)
    python = Path(settings.rasa_executable).parent / "python"
    with tempfile.TemporaryDirectory() as folder:
        questions, readings = Path(folder) / "questions.json", Path(folder) / "readings.json"
        questions.write_text(json.dumps(texts), encoding="utf-8")
        command = [str(python), "-m", "bench.parse_questions", str(model), str(questions), str(readings)]
        subprocess.run(command, cwd=PROJECT_ROOT, env=rasa_environment(settings), check=True, capture_output=True)
        return json.loads(readings.read_text(encoding="utf-8"))


def outcomes(cases: list[tuple[str, str | None, str, Ranking, dict]], blend: Blend) -> list[Outcome]:
    """What the bot would answer to each case with ``blend``."""
    return [
        Outcome(text, expected, (choice := pick(search, selector, blend)) and choice.entry.id)
        if intent in FAQ_INTENTS
        else Outcome(text, expected, None)
        for text, expected, intent, search, selector in cases
    ]


def main() -> None:
    """Read the questions once, score every blend of the grid, print the best and the current one."""
    questions = held_out_questions(DEVELOPMENT_DIR)
    readings = rasa_readings(Settings(), [text for text, _ in questions])
    index = default_index()
    cases = [
        (text, expected, reading["intent"], index.rank(text), selector_ranking(reading))
        for (text, expected), reading in zip(questions, readings, strict=True)
    ]
    best: dict[float, tuple[Scores, Blend]] = {}
    for blend in GRID:
        scores = score(outcomes(cases, blend))
        level = scores.out_of_scope_answered
        # Among blends equally accurate, the most cautious: a question left
        # unanswered gets the menu and a mediator, a wrong answer misleads.
        if level not in best or caution(scores, blend) > caution(*best[level]):
            best[level] = (scores, blend)
    for scores, blend in (best[level] for level in sorted(best)):
        print(figures(blend, scores))
    print("current", figures(BLEND, score(outcomes(cases, BLEND))))


def caution(scores: Scores, blend: Blend) -> tuple[float, float, float]:
    """Sort key: accuracy first, then the higher thresholds."""
    return scores.faq_accuracy, blend.min_score, blend.min_margin


def figures(blend: Blend, scores: Scores) -> str:
    """One line: the blend and its two figures."""
    return f"{blend}: accuracy {scores.faq_accuracy:.3f}, out of scope answered {scores.out_of_scope_answered:.1%}"


if __name__ == "__main__":
    main()
