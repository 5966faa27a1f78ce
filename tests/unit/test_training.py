"""The model is named after its training data: same data, same model."""

import shutil

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
