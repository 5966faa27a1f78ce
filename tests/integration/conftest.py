"""The real stack, started once per test run (model trained once, cached by content)."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.settings import Settings
from bot.training import train_if_needed
from tests.integration.proxy import ProxyMode
from tests.integration.stack import Stack, start_stack


@pytest.fixture(scope="session")
def stack(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    train_if_needed(settings)
    running = start_stack(settings, tmp_path_factory.mktemp("logs"))
    yield running
    running.stop()


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    """An HTTP client of the web app; every test leaves both proxies passing."""
    with httpx.Client(base_url=stack.web_url, timeout=30) as client:
        yield client
    stack.rasa_proxy.set_mode(ProxyMode.PASS)
    stack.action_proxy.set_mode(ProxyMode.PASS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.integration)
