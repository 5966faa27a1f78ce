"""The FAQ engine alone on the development questions: ``python -m bench.faq_engine``.

Fits the engine from knowledge/ as the action server does (timed), then
scores tests/nlu_dev/ without Rasa: accuracy, out-of-scope questions
answered, the time to choose, the most frequent confusions. This is where the
engine's settings (``bot/faq/engine.py``) are chosen; the held-out questions
of tests/nlu/ are never read here. ``make eval`` gives the end-to-end figures.
"""

import time

from bot.faq.engine import CachedEncoder
from bot.faq.evaluation import DEVELOPMENT_DIR, Outcome, confusions, questions, score
from bot.faq.live import fit_engine, sentence_encoder
from bot.faq.training_data import NLU_DIR
from bot.settings import Settings


def main() -> None:
    """Fit, score, print."""
    knowledge_dir = Settings().knowledge_dir
    start = time.perf_counter()
    engine = fit_engine(knowledge_dir, NLU_DIR, CachedEncoder(sentence_encoder()))
    fitted = time.perf_counter() - start
    asked = questions(DEVELOPMENT_DIR)
    start = time.perf_counter()
    choices = [engine.choose(text) for text, _ in asked]
    per_question = (time.perf_counter() - start) / len(asked) * 1000
    outcomes = [
        Outcome(text, expected, choice.entry.id if choice else None)
        for (text, expected), choice in zip(asked, choices, strict=True)
    ]
    print(score("development, engine alone", outcomes).summary())
    print(f"fitted in {fitted:.1f} s (encoder loaded, every text encoded); {per_question:.1f} ms a question")
    print("\n".join(["most frequent confusions:", *(f"  {line}" for line in confusions(outcomes))]))


if __name__ == "__main__":
    main()
