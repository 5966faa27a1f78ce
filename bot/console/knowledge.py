"""The "Base de connaissances" page (admins only): the entries valid on disk, a reload button, the latest reloads.

The button only asks: the action servers poll ``knowledge_reloads`` and write
the outcome on the row, so a new request reads "en attente" until then. The
files are checked first, and a broken entry is refused at once (422, with its
file and reason) without any request being made.
"""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from bot.console.auth import SignedIn, allow, checked_form, settings_of
from bot.console.templating import redirect, render
from bot.db import transaction
from bot.faq import reloads
from bot.faq.entries import KnowledgeError
from bot.faq.training_data import valid_entry_count
from bot.models import Role
from bot.services import audit

router = APIRouter()

PAGE = "/console/knowledge"
# Routes take ``who`` before ``form``: a mediator's post is refused (and audited) for its role, token or not.
Admin = Annotated[SignedIn, Depends(allow(Role.ADMIN))]
Form = Annotated[FormData, Depends(checked_form)]


def checked_count(root: Path) -> tuple[int | None, str | None]:
    """How many entries under ``root`` are valid, or why the files are refused (their path made relative)."""
    try:
        return valid_entry_count(root), None
    except KnowledgeError as error:
        # The server's absolute path tells staff nothing; "energy/x.md" is what they fix.
        return None, str(error).replace(f"{root}/", "")


@router.get(PAGE)
def knowledge_page(request: Request, who: Admin) -> Response:
    """The number of valid entries (or the error), the reload button and the latest reloads."""
    count, error = checked_count(settings_of(request).knowledge_dir)
    return _show(request, who, count, error)


@router.post(f"{PAGE}/reload")
def reload_knowledge(request: Request, who: Admin, form: Form) -> Response:
    """Ask the action servers to refit the FAQ engine, unless an entry is broken (then 422, nothing asked)."""
    settings = settings_of(request)
    count, error = checked_count(settings.knowledge_dir)
    if error is not None:
        return _show(request, who, count, error, 422)
    with transaction(settings.database_url) as session:
        asked = reloads.request(session, requested_by=who.email)
        target = f"reload:{asked.id} ({count} fiches)"
        audit.record(session, staff_id=who.staff_id, action=audit.RELOAD_KNOWLEDGE, target=target)
    return redirect(PAGE)


def _show(request: Request, who: SignedIn, count: int | None, error: str | None, status: int = 200) -> Response:
    """Render the page; ``error``: why the files on disk are refused."""
    with transaction(settings_of(request).database_url) as session:
        latest = reloads.recent(session)
    return render(request, "knowledge.html", {"who": who, "count": count, "error": error, "reloads": latest}, status)
