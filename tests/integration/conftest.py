"""Integration tests: an HTTP client of the real stack (the ``stack`` fixture is in tests/conftest.py)."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.proxy import ProxyMode
from tests.integration.stack import TEST_RASA_TIMEOUT_SECONDS, Stack


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    """An HTTP client of the web app; every test leaves both proxies passing."""
    # Longer than the router's own wait for Rasa, so a slow Rasa shows as the router's 503.
    with httpx.Client(base_url=stack.web_url, timeout=TEST_RASA_TIMEOUT_SECONDS + 30) as client:
        yield client
    stack.rasa_proxy.set_mode(ProxyMode.PASS)
    stack.action_proxy.set_mode(ProxyMode.PASS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.integration)
