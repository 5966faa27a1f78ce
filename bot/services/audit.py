"""The audit log: every action of staff in the console (who, what, on what, when).

Reading a conversation counts: it is access to a resident's personal data.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import AuditEntry, StaffUser

LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGIN_LOCKED = "login_locked"
LOGOUT = "logout"
VIEW_QUEUE = "view_queue"
VIEW_CONVERSATION = "view_conversation"
CLAIM = "claim"
REPLY = "reply"
HAND_BACK = "hand_back"
CLOSE = "close"
VIEW_STATS = "view_stats"
VIEW_AUDIT = "view_audit"
VIEW_VISITS = "view_visits"
CREATE_SLOTS = "create_slots"
REMOVE_SLOT = "remove_slot"
MARK_BOOKING = "mark_booking"
# A booking notice (or the page's list of them) marked seen on the Visits page.
NOTICE_SEEN = "notice_seen"
VIEW_REQUESTS = "view_requests"
VIEW_REQUEST = "view_request"
CHANGE_REQUEST_STATUS = "request_status"
VIEW_REQUEST_PHOTO = "view_request_photo"
# A reference or photo not found, or another tenant's (which reads the same to the account).
REQUEST_NOT_FOUND = "request_not_found"
# An admin asked the action servers to refit the FAQ engine from knowledge/.
RELOAD_KNOWLEDGE = "reload_knowledge"
FORBIDDEN = "forbidden"
MAX_TARGET_LENGTH = 254


@dataclass(frozen=True)
class Line:
    """An audit entry as the console shows it."""

    at: datetime
    who: str
    action: str
    target: str | None


def record(session: Session, *, staff_id: int | None, action: str, target: str | None = None) -> None:
    """Write one entry; ``target`` is what was acted on (a conversation id, a tenant, an address typed)."""
    session.add(AuditEntry(staff_id=staff_id, action=action, target=target[:MAX_TARGET_LENGTH] if target else None))


def recent(session: Session, *, limit: int = 200) -> list[Line]:
    """The latest entries, newest first."""
    rows = session.execute(
        select(AuditEntry, StaffUser.email)
        .outerjoin(StaffUser, AuditEntry.staff_id == StaffUser.id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return [
        Line(at=entry.created_at, who=email or "—", action=entry.action, target=entry.target) for entry, email in rows
    ]
