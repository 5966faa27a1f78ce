"""The Telegram gateway for real: its processes, started like ``make run`` does, on a fake Bot API.

The polling worker (``bot.cli serve-telegram``) and a second web app in webhook
mode (``bot.cli serve-web``) share the stack's database, Rasa and action server.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.settings import PROJECT_ROOT
from tests.integration.stack import Stack, free_port
from tests.telegram.bot_api import FakeBotApi

READY_TIMEOUT_SECONDS = 90
WEBHOOK_SECRET = "test-secret_0123456789-abcdefghijklmnop"


def stack_environment(stack: Stack) -> dict[str, str]:
    """The environment of the stack's web app: same database, Rasa and action server."""
    return os.environ | {
        "DATABASE_URL": stack.settings.database_url,
        "VAR_DIR": str(stack.settings.var_dir),
        "RASA_URL": f"http://127.0.0.1:{stack.rasa_proxy.port}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{stack.action_proxy.port}",
        "RASA_TIMEOUT_SECONDS": str(stack.settings.rasa_timeout_seconds),
    }


@dataclass
class Process:
    """A ``bot.cli`` command running in its own process group, with its log."""

    popen: subprocess.Popen
    log: Path

    def tail(self) -> str:
        return f"--- {self.log.name} ---\n{self.log.read_text()[-4000:]}"

    def check_alive(self) -> None:
        if self.popen.poll() is not None:
            raise RuntimeError(f"{self.log.stem} exited with {self.popen.returncode}\n{self.tail()}")

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)


def start(command: str, env: dict[str, str], log: Path) -> Process:
    with log.open("w") as output:
        popen = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", command],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Process(popen, log)


def wait_until(process: Process, what: str, check) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while not check():
        process.check_alive()
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}\n{process.tail()}")
        time.sleep(0.5)


@pytest.fixture(scope="session")
def polling_api() -> Iterator[FakeBotApi]:
    """The fake Bot API the polling worker talks to."""
    api = FakeBotApi()
    yield api
    api.close()


@pytest.fixture(scope="session")
def worker(stack: Stack, polling_api: FakeBotApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Process]:
    """``bot.cli serve-telegram``, polling the fake Bot API."""
    env = stack_environment(stack) | {
        "TELEGRAM_BOT_TOKEN": polling_api.token,
        "TELEGRAM_API_BASE_URL": polling_api.base_url,
    }
    process = start("serve-telegram", env, tmp_path_factory.mktemp("telegram") / "telegram-worker.log")
    try:
        wait_until(process, "the worker to poll getUpdates", lambda: polling_api.calls_of("getUpdates"))
        yield process
    finally:
        process.stop()


@dataclass
class WebhookApp:
    """A web app in webhook mode and the fake Bot API it answers through."""

    url: str
    api: FakeBotApi
    process: Process

    def post(self, body: object, secret: str | None = WEBHOOK_SECRET, raw: bytes | None = None) -> httpx.Response:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        if raw is not None:
            return httpx.post(f"{self.url}/telegram/webhook", content=raw, headers=headers, timeout=30)
        return httpx.post(f"{self.url}/telegram/webhook", json=body, headers=headers, timeout=30)


@pytest.fixture(scope="session")
def webhook_app(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebhookApp]:
    """``bot.cli serve-web`` with ``TELEGRAM_WEBHOOK_URL`` set, on its own fake Bot API."""
    api, port = FakeBotApi(), free_port()
    env = stack_environment(stack) | {
        "WEB_PORT": str(port),
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_WEBHOOK_URL": "https://regie.example/telegram/webhook",
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
    }
    process = start("serve-web", env, tmp_path_factory.mktemp("telegram") / "telegram-webhook-web.log")
    app = WebhookApp(f"http://127.0.0.1:{port}", api, process)
    try:
        wait_until(process, "the webhook to be registered", lambda: _answers(app))
        yield app
    finally:
        process.stop()
        api.close()


def _answers(app: WebhookApp) -> bool:
    """Whether the web app takes updates (it answers 503 while it registers the webhook)."""
    try:
        return app.post({}).status_code == 200
    except httpx.HTTPError:
        return False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents and "stack" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.integration)
