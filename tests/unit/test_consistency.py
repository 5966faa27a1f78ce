"""Files that must agree: domain ↔ actions ↔ NLU data ↔ Procfile ↔ CLI."""

import importlib
import inspect
import json
import pkgutil

import yaml
from rasa_sdk import Action

import actions
from bot.cli import COMMANDS
from bot.settings import PROJECT_ROOT

BUILT_IN_INTENTS = {"nlu_fallback"}
# Sent only by buttons (with entities), never typed: nothing to learn.
PAYLOAD_ONLY_INTENTS = {"choose", "confirm_cancel", "confirm_erase"}


def load_yaml_files(folder: str) -> list[dict]:
    return [yaml.safe_load(path.read_text()) for path in sorted((PROJECT_ROOT / folder).rglob("*.yml"))]


def domain_list(key: str) -> set[str]:
    return {item for part in load_yaml_files("domain") for item in part.get(key, [])}


def domain_responses() -> dict:
    return {name: value for part in load_yaml_files("domain") for name, value in part.get("responses", {}).items()}


def action_classes() -> dict[str, type[Action]]:
    found = {}
    for module in pkgutil.iter_modules(actions.__path__):
        module_name = f"actions.{module.name}"
        for _, cls in inspect.getmembers(importlib.import_module(module_name), inspect.isclass):
            if issubclass(cls, Action) and cls.__module__ == module_name and not inspect.isabstract(cls):
                found[cls().name()] = cls
    return found


def test_every_domain_action_has_a_class_and_every_class_is_in_the_domain():
    assert domain_list("actions") == set(action_classes())


def test_every_intent_has_training_examples():
    trained = {block["intent"].split("/")[0] for part in load_yaml_files("nlu") for block in part.get("nlu", [])}
    assert domain_list("intents") - BUILT_IN_INTENTS - PAYLOAD_ONLY_INTENTS <= trained


def test_every_button_payload_names_an_intent_and_entities_of_the_domain():
    intents, entities = domain_list("intents"), domain_list("entities")
    for name, variants in domain_responses().items():
        for variant in variants:
            for button in variant.get("buttons", []):
                intent, _, values = button["payload"].removeprefix("/").partition("{")
                assert intent in intents, name
                assert set(json.loads("{" + values) if values else {}) <= entities, name


def test_every_procfile_entry_is_a_cli_command():
    for line in (PROJECT_ROOT / "Procfile").read_text().splitlines():
        assert line.split()[-1] in COMMANDS
