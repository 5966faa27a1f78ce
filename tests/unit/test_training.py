"""The model is named after its training data: same data, same model; one training at a time."""

import fcntl
import shutil
import threading
from pathlib import Path

from bot import training
from bot.settings import PROJECT_ROOT
from bot.training import TRAINING_INPUTS, training_hash


def copy_training_inputs(destination):
    for name in TRAINING_INPUTS:
        source = PROJECT_ROOT / name
        target = destination / name
        if source.is_dir():
            shutil.copytree(source, target)
        elif source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)


def test_the_hash_is_stable_for_unchanged_data(tmp_path):
    copy_training_inputs(tmp_path)

    assert training_hash(tmp_path) == training_hash(tmp_path) == training_hash(PROJECT_ROOT)


def test_any_change_of_training_data_changes_the_hash(tmp_path):
    copy_training_inputs(tmp_path)
    before = training_hash(tmp_path)

    with (tmp_path / "nlu" / "core.yml").open("a") as file:
        file.write("\n")

    assert training_hash(tmp_path) != before


def test_a_second_training_waits_for_the_first_then_reuses_its_model(tmp_path, monkeypatch, settings):
    monkeypatch.setattr(training, "MODELS_DIR", tmp_path)
    monkeypatch.setattr(training, "LOCK_FILE", tmp_path / ".training.lock")
    finished: list[Path] = []
    with (tmp_path / ".training.lock").open("w") as first:
        fcntl.flock(first, fcntl.LOCK_EX)
        second = threading.Thread(target=lambda: finished.append(training.train_if_needed(settings)))
        second.start()
        second.join(timeout=0.5)
        assert second.is_alive() and finished == []  # waiting: the first one is still training
        training.model_path().touch()  # what the first one leaves when it is done

    second.join(timeout=30)

    assert finished == [training.model_path()]
