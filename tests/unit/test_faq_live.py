"""Reloading the FAQ engine: a good knowledge base is swapped in whole, a broken one refused."""

import shutil
from pathlib import Path

import pytest

from bot.db import transaction
from bot.faq import reloads
from bot.faq.entries import KNOWLEDGE_DIR
from bot.faq.live import LiveFaq, poll_once, sentence_encoder
from bot.faq.reloads import FILE_CHANGE

ENTRY_IDS = ("energy_cheque_energie_what", "energy_fsl", "biowaste_citrus_peel", "regie_what_is")
NEW_VARIANT = "le zorblaq quinquapode est-il admis ?"


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    """A small knowledge base (four entries of the real one): each fit takes a second."""
    for entry_id in ENTRY_IDS:
        source = next(KNOWLEDGE_DIR.glob(f"*/{entry_id}.md"))
        target = tmp_path / "knowledge" / source.parent.name / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    return tmp_path / "knowledge"


@pytest.fixture(scope="module")
def encoder():
    return sentence_encoder()


def add_variant(knowledge: Path, entry_id: str, question: str) -> None:
    path = next(knowledge.glob(f"*/{entry_id}.md"))
    path.write_text(path.read_text().replace("questions:\n", f"questions:\n  - {question}\n", 1))


def test_an_edit_is_seen_on_disk_and_a_reload_learns_it(knowledge, encoder):
    live = LiveFaq(knowledge, encoder)
    add_variant(knowledge, "energy_fsl", NEW_VARIANT)
    assert live.changed_on_disk()

    outcome = live.reload()

    assert outcome.succeeded and outcome.text == "4 fiches en service"
    assert live.engine.choose(NEW_VARIANT).entry.id == "energy_fsl"
    assert not live.changed_on_disk()


def test_a_broken_entry_is_refused_and_the_engine_in_use_stays(knowledge, encoder):
    live = LiveFaq(knowledge, encoder)
    before = live.engine
    (knowledge / "energy" / "energy_broken.md").write_text("pas de front matter\n")

    outcome = live.reload()

    assert not outcome.succeeded
    assert "energy_broken.md" in outcome.text and "no front matter" in outcome.text
    assert live.engine is before
    assert not live.changed_on_disk()  # the same broken files are not tried again and again


def test_a_request_in_the_database_is_carried_out_and_its_outcome_written(knowledge, encoder, settings):
    live = LiveFaq(knowledge, encoder)
    with transaction(settings.database_url) as session:
        asked = reloads.request(session, requested_by="admin@demo.local").id

    served = poll_once(live, settings.model_copy(update={"knowledge_watch": False}), served=asked - 1)

    assert served == asked
    with transaction(settings.database_url) as session:
        done = reloads.recent(session)[0]
    assert (done.id, done.succeeded, done.outcome) == (asked, True, "4 fiches en service")


@pytest.mark.parametrize("watching", [True, False])
def test_a_file_change_reloads_only_when_watching(knowledge, encoder, settings, watching):
    live = LiveFaq(knowledge, encoder)
    add_variant(knowledge, "energy_fsl", NEW_VARIANT)
    with transaction(settings.database_url) as session:
        served = reloads.latest_id(session)

    poll_once(live, settings.model_copy(update={"knowledge_watch": watching}), served=served)

    choice = live.engine.choose(NEW_VARIANT)
    assert (choice is not None and choice.entry.id == "energy_fsl") is watching
    with transaction(settings.database_url) as session:
        logged = [r for r in reloads.recent(session) if r.id > served and r.requested_by == FILE_CHANGE]
    assert bool(logged) is watching


def test_every_action_server_carries_out_a_request_even_once_another_wrote_its_outcome(knowledge, encoder, settings):
    first, second = LiveFaq(knowledge, encoder), LiveFaq(knowledge, encoder)
    add_variant(knowledge, "energy_fsl", NEW_VARIANT)
    quiet = settings.model_copy(update={"knowledge_watch": False})
    with transaction(settings.database_url) as session:
        asked = reloads.request(session, requested_by="admin@demo.local").id

    served = [poll_once(live, quiet, served=asked - 1) for live in (first, second)]

    assert served == [asked, asked]
    assert [live.engine.choose(NEW_VARIANT).entry.id for live in (first, second)] == ["energy_fsl", "energy_fsl"]


def test_a_file_change_seen_by_one_action_server_is_no_request_for_the_others(knowledge, encoder, settings):
    watching, quiet = LiveFaq(knowledge, encoder), LiveFaq(knowledge, encoder)
    with transaction(settings.database_url) as session:
        served = reloads.latest_id(session)
    add_variant(knowledge, "energy_fsl", NEW_VARIANT)
    poll_once(watching, settings.model_copy(update={"knowledge_watch": True}), served=served)
    before = quiet.engine

    assert poll_once(quiet, settings.model_copy(update={"knowledge_watch": False}), served=served) == served
    assert quiet.engine is before
