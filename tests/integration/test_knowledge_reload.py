"""Knowledge edits are live: the action server refits its FAQ engine without Rasa, through the real stack.

The stack's knowledge base is a copy of knowledge/ (tests/conftest.py); each
test edits it and puts it back, waiting for the engine to learn it again.
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.cli import RELOAD_COMMAND
from bot.db import transaction
from bot.faq import reloads
from bot.faq.entries import load_entries
from bot.faq.evaluation import answer_ids, entry_of_replies
from bot.settings import PROJECT_ROOT, Settings

LIVE_WITHIN_SECONDS = 30
# No entry's words: before the edit, no entry may answer it.
NEW_VARIANT = "le zorblaq quinquapode est-il admis dans le dispositif ?"
ENTRY_ID = "energy_cheque_energie_what"
KNOWN_QUESTION = "c quoi le cheque energie"


# The answers as the repository has them: the tests change questions, not these.
ANSWERS = answer_ids(load_entries())


def ask(api, text: str) -> str | None:
    """The id of the entry whose answer the bot sent, if any."""
    response = api.post("/api/chat", json={"sender_id": uuid.uuid4().hex, "text": text})
    assert response.status_code == 200
    return entry_of_replies(response.json()["replies"], ANSWERS)


def wait_for(condition: Callable[[], object], what: str) -> float:
    """Seconds until ``condition()`` is true, failing past LIVE_WITHIN_SECONDS."""
    start = time.monotonic()
    while time.monotonic() - start < LIVE_WITHIN_SECONDS:
        if condition():
            return time.monotonic() - start
        time.sleep(0.5)
    pytest.fail(f"{what}: not within {LIVE_WITHIN_SECONDS} s")


def latest_reload(settings: Settings) -> tuple[int, bool | None, str]:
    """(id, succeeded, outcome) of the newest reload row."""
    with transaction(settings.database_url) as session:
        rows = reloads.recent(session)
        return (rows[0].id, rows[0].succeeded, rows[0].outcome or "") if rows else (0, None, "")


def reload_after(settings: Settings, seen: int, succeeded: bool) -> Callable[[], bool]:
    """A condition: a reload newer than ``seen`` finished as ``succeeded``."""

    def finished() -> bool:
        newest, ok, _ = latest_reload(settings)
        return newest > seen and ok is succeeded

    return finished


@pytest.fixture
def entry_file(stack, settings: Settings) -> Iterator[Path]:
    """The edited entry's file in the stack's knowledge base; put back as it was afterwards."""
    path = settings.knowledge_dir / "energy" / f"{ENTRY_ID}.md"
    original = path.read_text(encoding="utf-8")
    yield path
    seen = latest_reload(settings)[0]
    path.write_text(original, encoding="utf-8")
    for stray in settings.knowledge_dir.glob("*/*_broken.md"):
        stray.unlink()
    wait_for(reload_after(settings, seen, succeeded=True), "the knowledge base put back")


def test_a_new_question_variant_is_answered_within_30_seconds_without_retraining(api, settings, entry_file):
    assert ask(api, NEW_VARIANT) != ENTRY_ID
    text = entry_file.read_text(encoding="utf-8")

    entry_file.write_text(text.replace("questions:\n", f"questions:\n  - {NEW_VARIANT}\n", 1), encoding="utf-8")

    wait_for(lambda: ask(api, NEW_VARIANT) == ENTRY_ID, "the new variant answered")
    assert ask(api, KNOWN_QUESTION) == ENTRY_ID


def test_a_corrected_answer_is_sent_within_30_seconds(api, settings, entry_file):
    entry = next(e for e in load_entries(settings.knowledge_dir) if e.id == ENTRY_ID)
    corrected = "Réponse corrigée : le chèque énergie aide à payer les factures d'énergie."

    entry_file.write_text(entry_file.read_text(encoding="utf-8").replace(entry.answer, corrected), encoding="utf-8")

    def sends_the_correction() -> bool:
        response = api.post("/api/chat", json={"sender_id": uuid.uuid4().hex, "text": KNOWN_QUESTION})
        return any(r["text"].startswith(corrected) for r in response.json()["replies"])

    wait_for(sends_the_correction, "the corrected answer sent")


def test_a_broken_entry_is_refused_with_its_file_and_the_old_answers_stay(api, settings, entry_file):
    seen = latest_reload(settings)[0]
    broken = settings.knowledge_dir / "energy" / "energy_broken.md"

    broken.write_text("pas de front matter\n", encoding="utf-8")

    wait_for(reload_after(settings, seen, succeeded=False), "the broken entry refused")
    assert "energy_broken.md" in latest_reload(settings)[2]
    assert ask(api, KNOWN_QUESTION) == ENTRY_ID


def run_reload_command(settings: Settings) -> subprocess.CompletedProcess:
    environment = os.environ | {
        "DATABASE_URL": settings.database_url,
        "VAR_DIR": str(settings.var_dir),
        "KNOWLEDGE_DIR": str(settings.knowledge_dir),
    }
    command = [sys.executable, "-m", "bot.cli", "reload-knowledge"]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, timeout=90)


def test_the_reload_command_waits_for_the_action_server_and_prints_its_outcome(stack, settings):
    done = run_reload_command(settings)

    assert done.returncode == 0, done.stderr
    assert f"{len(load_entries(settings.knowledge_dir))} fiches en service" in done.stdout


def test_the_reload_command_refuses_a_broken_entry_without_asking_the_action_server(stack, settings, entry_file):
    seen = latest_reload(settings)[0]
    entry_file.write_text(entry_file.read_text(encoding="utf-8").replace("sources:", "sourcez:", 1), encoding="utf-8")

    done = run_reload_command(settings)

    assert done.returncode != 0
    assert f"{ENTRY_ID}.md" in done.stderr and "sources" in done.stderr
    with transaction(settings.database_url) as session:
        asked = [r for r in reloads.recent(session) if r.id > seen and r.requested_by == RELOAD_COMMAND]
    assert asked == []
