"""Reading the examples of Rasa NLU training files (nlu/, tests/nlu/, tests/nlu_dev/)."""

from pathlib import Path

import yaml


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
