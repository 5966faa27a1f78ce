"""Rasa's conversation tests (tests/conversations/): the dialogue's predictions, turn by turn."""

import subprocess
from pathlib import Path

from bot.rasa_process import rasa_environment
from bot.settings import PROJECT_ROOT, Settings
from bot.training import train_if_needed


def test_the_conversation_tests_predict_every_action(settings: Settings, tmp_path: Path) -> None:
    model = train_if_needed(settings)
    command = [
        str(settings.rasa_executable), "test", "core", "--model", str(model),
        "--stories", str(PROJECT_ROOT / "tests" / "conversations"),
        "--fail-on-prediction-errors", "--out", str(tmp_path),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=rasa_environment(settings), capture_output=True, text=True)
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, details
