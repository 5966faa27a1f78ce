"""The Visits page in a real browser (Playwright, the system Chromium): a mediator creates a series, marks a visit.

The page never calls Rasa, so this test runs the web app alone (``bot.cli
serve-web``, as ``make run`` starts it) on the test database: no trained
model needed.
"""

import os
import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, Page

from bot.models import BookingStatus, Role
from bot.settings import Settings
from tests.console_client import PASSWORD, new_staff
from tests.integration.stack import free_port
from tests.telegram.conftest import start, wait_until
from tests.visits_data import new_booking, new_slot, new_tenant, stored_booking


@pytest.fixture(scope="module")
def web_url(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The web app alone, in its own process, on the test database."""
    port = free_port()
    env = {
        "DATABASE_URL": settings.database_url, "VAR_DIR": str(settings.var_dir), "WEB_PORT": str(port),
        # Nothing listens there: the console must not need Rasa.
        "RASA_URL": f"http://127.0.0.1:{free_port()}", "ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}",
    }  # fmt: skip
    process = start("serve-web", os.environ | env, tmp_path_factory.mktemp("web") / "web.log")
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return httpx.get(f"{url}/console/login", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(process, "the web app", answers)
        yield url
    finally:
        process.stop()


@pytest.fixture
def mediator_page(browser: Browser, web_url: str, settings: Settings) -> Iterator[Page]:
    context = browser.new_context(base_url=web_url, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/console/login")
    page.fill("input[name=email]", new_staff(settings, Role.MEDIATOR))
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/queue")
    yield page
    context.close()
    assert dialogs == []


def test_a_mediator_creates_a_series_then_marks_a_visit_done(mediator_page: Page, settings: Settings) -> None:
    slug = new_tenant(settings, name="Habitat Navigateur")
    tomorrow = datetime.now(settings.zone).date() + timedelta(days=1)
    mediator_page.click("nav >> text=Visites")

    form = mediator_page.locator("#series form")
    form.locator("select[name=tenant]").select_option(slug)
    form.locator("select[name=kind]").select_option("home_visit")
    form.locator("input[name=first_day]").fill(tomorrow.isoformat())
    form.locator(f"input[name=weekdays][value='{tomorrow.weekday()}']").check()
    form.locator("input[name=start]").fill("10:00")
    form.locator("input[name=end]").fill("12:00")
    form.locator("input[name=weeks]").fill("2")
    form.locator("input[name=mediator]").fill("Samia <b>médiatrice</b>")
    form.locator("button[type=submit]").click()

    mediator_page.wait_for_url(re.compile(rf"/console/visits\?tenant={slug}&"))
    rows = mediator_page.locator("#slots-body tr.slot")
    assert rows.count() == 4  # 2 one-hour slots on that weekday, 2 weeks
    assert rows.first.locator("td", has_text="Samia <b>médiatrice</b>").count() == 1  # text, not markup

    booking_id, reference = new_booking(settings, new_slot(settings, slug, days=-1, hour=9))
    yesterday = (tomorrow - timedelta(days=2)).isoformat()
    mediator_page.goto(f"/console/visits?tenant={slug}&du={yesterday}")
    visit = mediator_page.locator(f".booking[data-reference='{reference}']")
    visit.locator("button", has_text="Venu").click()

    mediator_page.locator(f".booking[data-reference='{reference}'] .status", has_text="venu").wait_for()
    assert stored_booking(settings, booking_id).status is BookingStatus.DONE
