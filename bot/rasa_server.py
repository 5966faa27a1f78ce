"""Rasa's command line, with two of its per-message costs paid once instead.

Run by ``bot.rasa_process`` in Rasa's own environment (.venv-rasa, Python 3.10):
it imports nothing of ours but the tracker store endpoints.yml names (and its
``bot.db``). Measured with py-spy on FAQ messages:

- Rasa 3.6 calls ``jsonschema.validate`` on every answer of the action server,
  which first checks the schema itself against JSON Schema's meta-schema: 46 %
  of Rasa's time. The same schema, checked once, validates each answer
  exactly as before (a bad answer still raises the same error).
- Each event read from the tracker store finds its class by walking every
  subclass of ``Event``: about 10 %. The classes never change once Rasa runs,
  so the answer for each type name is remembered.
"""

import sys
from functools import cache, lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.__main__ import main
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event

# Imported here so that a broken store stops Rasa at start: Rasa itself would
# fall back to a tracker store in memory, losing every conversation at a restart.
from bot.rasa_tracker_store import RememberingSQLTrackerStore  # noqa: F401

ORIGINAL_CHECK = RemoteAction._validate_action_result
ORIGINAL_RESOLVE = Event.resolve_by_type


@lru_cache(maxsize=1)
def _response_validator() -> Any:  # noqa: ANN401 - jsonschema's validator classes are made at run time
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    """What Rasa's own check does, without checking the schema again at each call."""
    error: ValidationError | None = best_match(_response_validator().iter_errors(result))
    if error is None:
        return True
    # Rasa's own check adds its explanation to the message: let it raise the error as it would.
    return ORIGINAL_CHECK(action, result)


@cache
def event_class(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Rasa's own lookup of an event's class by its type name, remembered."""
    return ORIGINAL_RESOLVE(type_name, default)


if __name__ == "__main__":
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(event_class)
    sys.exit(main())
