"""The Visits page in a real browser (Playwright, the system Chromium): create a series, remove a slot, mark a visit.

The page never calls Rasa, so this test runs the web app alone (``bot.cli
serve-web``, as ``make run`` starts it) on the test database: no trained
model needed.
"""

import re
from datetime import datetime, timedelta

from playwright.sync_api import Page

from bot.models import BookingStatus
from bot.settings import Settings
from tests.browser.conftest import ExpectedDialogs
from tests.visits_data import new_booking, new_slot, new_tenant, stored_booking

REMOVE_QUESTION = "Retirer ce créneau ? Les habitants ne pourront plus le réserver."


def test_a_mediator_creates_a_series_removes_a_slot_after_confirming_then_marks_a_visit_done(
    console_mediator: Page, console_dialogs: ExpectedDialogs, settings: Settings
) -> None:
    slug = new_tenant(settings, name="Habitat Navigateur")
    tomorrow = datetime.now(settings.zone).date() + timedelta(days=1)
    console_mediator.click("nav >> text=Visites")

    form = console_mediator.locator("#series form")
    form.locator("select[name=tenant]").select_option(slug)
    form.locator("select[name=kind]").select_option("home_visit")
    form.locator("input[name=first_day]").fill(tomorrow.isoformat())
    form.locator(f"input[name=weekdays][value='{tomorrow.weekday()}']").check()
    form.locator("input[name=start]").fill("10:00")
    form.locator("input[name=end]").fill("12:00")
    form.locator("input[name=weeks]").fill("2")
    form.locator("input[name=mediator]").fill("Samia <b>médiatrice</b>")
    form.locator("button[type=submit]").click()

    console_mediator.wait_for_url(re.compile(rf"/console/visits\?tenant={slug}&"))
    rows = console_mediator.locator("#slots-body tr.slot")
    assert rows.count() == 4  # 2 one-hour slots on that weekday, 2 weeks
    assert rows.first.locator("td", has_text="Samia <b>médiatrice</b>").count() == 1  # text, not markup

    remove = rows.first.locator("button", has_text="Retirer")
    console_dialogs.expect(accept=False)
    remove.click()
    assert rows.count() == 4 and console_dialogs.opened == [REMOVE_QUESTION]  # kept: the mediator said no
    console_dialogs.expect(accept=True)
    remove.click()
    console_mediator.wait_for_function("document.querySelectorAll('#slots-body tr.slot').length === 3")

    booking_id, reference = new_booking(settings, new_slot(settings, slug, days=-1, hour=9))
    yesterday = (tomorrow - timedelta(days=2)).isoformat()
    console_mediator.goto(f"/console/visits?tenant={slug}&du={yesterday}")
    visit = console_mediator.locator(f".booking[data-reference='{reference}']")
    visit.locator("button", has_text="Venu").click()

    console_mediator.locator(f".booking[data-reference='{reference}'] .status", has_text="venu").wait_for()
    assert stored_booking(settings, booking_id).status is BookingStatus.DONE
