"""Browser tests: Debian's Chromium, driven by Playwright, on the demo landlord site and the real stack.

The demo site (``bot.cli serve-demo-site``) runs on its own port, so the widget
is a cross-origin embed as on a landlord's site, under the site's strict CSP.
Playwright never downloads a browser: ``make test`` installs /usr/bin/chromium.
"""

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Playwright, sync_playwright

from bot.models import Role
from bot.settings import PROJECT_ROOT, Settings
from tests.console_client import PASSWORD, new_staff
from tests.integration.stack import Stack, free_port
from tests.telegram.conftest import Process, stack_environment, start

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT_ROOT / "reports" / "widget"
READY_TIMEOUT_SECONDS = 30


@pytest.fixture(scope="session")
def demo_site(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo landlord site's address, embedding the stack's widget."""
    port = free_port()
    env = stack_environment(stack) | {"DEMO_SITE_PORT": str(port), "PUBLIC_URL": stack.web_url}
    process = start("serve-demo-site", env, tmp_path_factory.mktemp("demo-site") / "demo-site.log")
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(process, url)
        yield url
    finally:
        process.stop()


@pytest.fixture(scope="package")
def console_url(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web app alone (``bot.cli serve-web``) on the test database: console pages never call Rasa.

    Nothing listens at its Rasa and action server addresses, so no trained model is needed.
    """
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": settings.database_url, "VAR_DIR": str(settings.var_dir), "WEB_PORT": str(port),
        "RASA_URL": f"http://127.0.0.1:{free_port()}", "ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}",
    }  # fmt: skip
    process = start("serve-web", env, tmp_path_factory.mktemp("console-web") / "web.log")
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(process, f"{url}/console/login")
        yield url
    finally:
        process.stop()


@dataclass
class ExpectedDialogs:
    """The confirmations a test expects, with its answers (True accepts), and every dialog that opened."""

    answers: list[bool] = field(default_factory=list)
    expected: int = 0
    opened: list[str] = field(default_factory=list)

    def expect(self, accept: bool) -> None:
        """The next dialog is expected, and gets this answer."""
        self.answers.append(accept)
        self.expected += 1

    def answer(self, dialog: Dialog) -> None:
        """Answer as the test said; an unexpected dialog is dismissed (and fails the test at teardown)."""
        self.opened.append(dialog.message)
        if self.answers and self.answers.pop(0):
            dialog.accept()
        else:
            dialog.dismiss()


@pytest.fixture
def console_dialogs() -> ExpectedDialogs:
    """The console page's dialogs: none may open but those a test expects."""
    return ExpectedDialogs()


@pytest.fixture
def console_mediator(
    browser: Browser, console_url: str, settings: Settings, console_dialogs: ExpectedDialogs
) -> Iterator[Page]:
    """A new mediator signed in to the console (``console_url``), on the queue; only expected dialogs may open."""
    context = browser.new_context(base_url=console_url, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", console_dialogs.answer)
    page.goto("/console/login")
    page.fill("input[name=email]", new_staff(settings, Role.MEDIATOR))
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/queue")
    yield page
    context.close()
    assert len(console_dialogs.opened) == console_dialogs.expected, console_dialogs.opened


def _wait_for(process: Process, url: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while True:
        process.check_alive()
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


@pytest.fixture(scope="package")
def stranger_page(stack: Stack) -> Iterator[str]:
    """A page embedding the demo tenant from an origin it does not allow: 127.0.0.2, not localhost or 127.0.0.1.

    It is on loopback like the stack, so Chromium's local network rules let it
    load the script (a public page may not reach loopback) and the test sees
    the web app's own refusal.
    """
    body = f'<!doctype html><title>Autre site</title><script src="{stack.web_url}/widget.js" data-tenant="demo" async>'
    page = (body + "</script>").encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *_args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.2:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# Package scope: Playwright's own event loop is gone before other folders' async tests run.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs it (apt-get install chromium)")
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    # Loopback pages only: no proxy, whatever the machine says.
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-proxy-server"])
    yield chromium
    chromium.close()


@dataclass
class Watched:
    """A page, with what it printed on the console and every dialog it tried to open."""

    page: Page
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m or "Content-Security-Policy" in m]


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    """A fresh browser profile (empty storage) at a desktop size, watched."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    seen = Watched(page)

    def on_dialog(dialog: Dialog) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        seen.console.append(f"{message.type}: {message.text}")

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    yield seen
    context.close()


def screenshot(page: Page, name: str) -> None:
    """Keep a picture of the page under reports/widget/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.integration)
