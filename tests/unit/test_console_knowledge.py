"""The "Base de connaissances" page on the real web app and database: count, reload requests, refusals, outcomes."""

import shutil

import pytest
from markupsafe import escape
from sqlalchemy import select

from bot.db import transaction
from bot.faq import reloads
from bot.faq.entries import load_entries
from bot.models import AuditEntry, KnowledgeReload, Role, StaffUser, utcnow
from bot.services import audit
from bot.settings import Settings
from tests.console_client import PASSWORD, csrf_of, login, new_staff, post_form

PAGE = "/console/knowledge"
RELOAD = f"{PAGE}/reload"
XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def settings(settings: Settings, tmp_path) -> Settings:
    """The run's settings with a knowledge/ of this test's own, which it may break."""
    knowledge_dir = shutil.copytree(settings.knowledge_dir, tmp_path / "knowledge")
    return settings.model_copy(update={"knowledge_dir": knowledge_dir})


@pytest.fixture
async def admin(web, settings) -> str:
    email = new_staff(settings, Role.ADMIN)
    assert (await login(web, email, PASSWORD)).status_code == 303
    return email


def requests_by(settings: Settings, email: str) -> list[KnowledgeReload]:
    with transaction(settings.database_url) as session:
        return list(session.scalars(select(KnowledgeReload).where(KnowledgeReload.requested_by == email)))


def audited(settings: Settings, staff_email: str) -> list[str | None]:
    """The targets of the reloads this staff member asked for, in the audit log."""
    with transaction(settings.database_url) as session:
        query = (
            select(AuditEntry.target)
            .join(StaffUser, AuditEntry.staff_id == StaffUser.id)
            .where(StaffUser.email == staff_email, AuditEntry.action == audit.RELOAD_KNOWLEDGE)
        )
        return list(session.scalars(query))


def row_of(page_text: str, reload_id: int) -> str:
    return page_text[page_text.index(f'data-reload="{reload_id}"') :].split("</tr>")[0]


def break_an_entry(settings: Settings) -> None:
    (settings.knowledge_dir / "energy" / "energy_broken.md").write_text("Pas d'en-tête ici.\n", encoding="utf-8")


async def test_an_admin_sees_how_many_entries_are_valid_and_the_page_in_the_menu(web, admin, settings):
    page = await web.get(PAGE)

    assert page.status_code == 200
    assert f"{len(load_entries(settings.knowledge_dir))} fiche(s) valide(s)" in page.text
    assert 'href="/console/knowledge"' in page.text


@pytest.mark.parametrize("role", [Role.MEDIATOR, Role.LANDLORD])
async def test_mediators_and_landlords_are_refused_the_page_and_the_reload(web, settings, role):
    email = new_staff(settings, role, ("demo",) if role is Role.LANDLORD else ())
    assert (await login(web, email, PASSWORD)).status_code == 303
    stats = await web.get("/console/stats")

    page = await web.get(PAGE)
    posted = await web.post(RELOAD, data={"csrf_token": csrf_of(stats)})

    assert page.status_code == posted.status_code == 403
    assert 'href="/console/knowledge"' not in stats.text
    assert requests_by(settings, email) == []


async def test_a_reload_asks_once_in_the_admins_name_is_audited_and_is_listed_as_pending(web, admin, settings):
    response = await post_form(web, PAGE, RELOAD)

    assert response.status_code == 303 and response.headers["location"] == PAGE
    [asked] = requests_by(settings, admin)
    assert asked.finished_at is None and asked.outcome is None
    assert "en attente" in row_of((await web.get(PAGE)).text, asked.id)
    assert audited(settings, admin) == [f"reload:{asked.id} ({len(load_entries(settings.knowledge_dir))} fiches)"]


async def test_a_broken_entry_is_refused_with_its_file_and_reason_and_nothing_is_asked(web, admin, settings):
    break_an_entry(settings)

    response = await post_form(web, PAGE, RELOAD)
    page = await web.get(PAGE)

    assert response.status_code == 422
    for shown in (response.text, page.text):
        assert "energy/energy_broken.md" in shown
        assert str(escape("no front matter between two '---' lines")) in shown
    assert str(settings.knowledge_dir) not in response.text
    assert requests_by(settings, admin) == [] and audited(settings, admin) == []


async def test_a_reload_without_its_csrf_token_is_refused_and_asks_nothing(web, admin, settings):
    missing = await web.post(RELOAD, data={})
    forged = await web.post(RELOAD, data={"csrf_token": "forged"})

    assert missing.status_code == forged.status_code == 403
    assert requests_by(settings, admin) == []


@pytest.mark.parametrize(("succeeded", "state"), [(True, "réussi"), (False, "refusé")])
async def test_an_outcome_written_by_an_action_server_is_shown_as_text(web, admin, settings, succeeded, state):
    with transaction(settings.database_url) as session:
        asked = reloads.request(session, requested_by=admin)
        asked.finished_at, asked.succeeded, asked.outcome = utcnow(), succeeded, f"{XSS} 42 fiches"

    row = row_of((await web.get(PAGE)).text, asked.id)

    assert state in row and "en attente" not in row
    assert "<script>alert" not in row and "<img src=x" not in row
    assert str(escape(XSS)) in row
