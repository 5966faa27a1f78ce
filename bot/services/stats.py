"""Conversation statistics per tenant, for landlords (their own tenants only) and the Régie."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.faq.entries import answer_reply, load_entries
from bot.models import Author, Conversation, Message, Tenant, utcnow

TOP_TOPICS = 5


@dataclass(frozen=True)
class TenantStats:
    """One tenant's figures over the last days."""

    slug: str
    name: str
    days: int
    conversations_per_day: list[tuple[date, int]]
    escalations: dict[str, int] = field(default_factory=dict)
    top_topics: list[tuple[str, int]] = field(default_factory=list)

    @property
    def conversations(self) -> int:
        """Conversations started over the period."""
        return sum(count for _, count in self.conversations_per_day)


@lru_cache(maxsize=1)
def _answer_titles() -> dict[str, str]:
    """Each FAQ answer's text (as the bot sends it) → its entry's title."""
    return {answer_reply(entry).text: entry.title for entry in load_entries()}


def tenants_visible(session: Session, *, tenant_ids: set[int] | None) -> list[Tenant]:
    """The tenants a staff member may see: ``tenant_ids`` (a landlord's), or all when None."""
    query = select(Tenant).order_by(Tenant.name)
    if tenant_ids is not None:
        query = query.where(Tenant.id.in_(tenant_ids))
    return list(session.scalars(query))


def tenant_stats(session: Session, *, tenant: Tenant, zone: ZoneInfo, days: int = 30) -> TenantStats:
    """Conversations per local day, escalations by reason and the most answered FAQ entries."""
    since = utcnow() - timedelta(days=days)
    rows = session.execute(
        select(Conversation.started_at, Conversation.escalation_reason).where(
            Conversation.tenant_id == tenant.id, Conversation.started_at >= since
        )
    ).all()
    per_day = Counter(_local_day(started, zone) for started, _ in rows)
    today = utcnow().astimezone(zone).date()
    series = [(today - timedelta(days=n), per_day.get(today - timedelta(days=n), 0)) for n in range(days - 1, -1, -1)]
    escalations = Counter(reason for _, reason in rows if reason)
    return TenantStats(
        slug=tenant.slug,
        name=tenant.name,
        days=days,
        conversations_per_day=series,
        escalations=dict(escalations),
        top_topics=_top_topics(session, tenant, since),
    )


def _local_day(started: datetime, zone: ZoneInfo) -> date:
    # SQLite gives back naive datetimes; ours are all UTC.
    moment = started if started.tzinfo else started.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()


def _top_topics(session: Session, tenant: Tenant, since: datetime) -> list[tuple[str, int]]:
    titles = _answer_titles()
    rows = session.execute(
        select(Message.text, func.count())
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(
            Conversation.tenant_id == tenant.id,
            Message.author == Author.BOT,
            Message.created_at >= since,
            Message.text.in_(list(titles)),
        )
        .group_by(Message.text)
    )
    counted = Counter({titles[text]: count for text, count in rows})
    return counted.most_common(TOP_TOPICS)
