"""Rasa's reading of a list of questions (run by ``bench.faq_blend`` in .venv-rasa).

Usage: python -m bench.parse_questions MODEL IN.json OUT.json, where IN.json
is a list of texts; OUT.json gets, for each, its intent and the
ResponseSelector's part of the parse data.
"""

import asyncio
import json
import sys

from rasa.core.agent import Agent


async def parse_all(model: str, texts: list[str]) -> list[dict]:
    """Each text's intent name and response_selector data."""
    agent = Agent.load(model)
    parsed = [await agent.parse_message(text) for text in texts]
    return [{"intent": p["intent"]["name"], "response_selector": p.get("response_selector", {})} for p in parsed]


if __name__ == "__main__":
    model, questions, out = sys.argv[1:4]
    with open(questions, encoding="utf-8") as file:
        texts = json.load(file)
    with open(out, "w", encoding="utf-8") as file:
        json.dump(asyncio.run(parse_all(model, texts)), file, ensure_ascii=False)
