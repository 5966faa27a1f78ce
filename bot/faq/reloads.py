"""Reloads of the FAQ engine, as rows of ``knowledge_reloads``: asked, then carried out.

Staff and the CLI only ask (they check the files first, so a broken entry is
refused at once, with its file and reason); every action server carries the
request out itself and writes the outcome. The console lists the latest ones.
"""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import KnowledgeReload, utcnow

RECENT = 10
# Who "asked" a reload an action server did by itself, on seeing a file change.
FILE_CHANGE = "changement de fichier"


@dataclass(frozen=True)
class Outcome:
    """What a reload did: how many entries are live, or why the files were refused."""

    succeeded: bool
    text: str


def request(session: Session, *, requested_by: str) -> KnowledgeReload:
    """Ask the action servers to refit from knowledge/ (they look every few seconds)."""
    reload = KnowledgeReload(requested_by=requested_by)
    session.add(reload)
    session.flush()
    return reload


def latest_id(session: Session) -> int:
    """The newest request's id (0 when none was ever made)."""
    return session.scalar(select(func.max(KnowledgeReload.id))) or 0


def requests_after(session: Session, served: int) -> list[int]:
    """The requests newer than ``served``, the newest this action server has carried out.

    Those with an outcome too: with several action servers, the first to finish
    a request writes its outcome, and each of the others must still refit its
    own engine. A file change is no request: each server sees it by itself.
    """
    query = select(KnowledgeReload.id).where(KnowledgeReload.id > served, KnowledgeReload.requested_by != FILE_CHANGE)
    return list(session.scalars(query.order_by(KnowledgeReload.id)))


def finish(session: Session, *, ids: list[int], outcome: Outcome) -> None:
    """Write ``outcome`` on the requests ``ids``."""
    for reload in session.scalars(select(KnowledgeReload).where(KnowledgeReload.id.in_(ids))):
        reload.finished_at, reload.succeeded, reload.outcome = utcnow(), outcome.succeeded, outcome.text


def record_file_change(session: Session, *, outcome: Outcome) -> None:
    """Log a reload nobody asked for (a file changed), done with ``outcome``."""
    finish(session, ids=[request(session, requested_by=FILE_CHANGE).id], outcome=outcome)


def recent(session: Session) -> list[KnowledgeReload]:
    """The latest reloads, newest first."""
    return list(session.scalars(select(KnowledgeReload).order_by(KnowledgeReload.id.desc()).limit(RECENT)))
