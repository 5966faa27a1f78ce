"""Booking notices on the real database: listed unseen, per tenant, newest first; marked seen once."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.errors import NotFound
from bot.models import Booking, Tenant, utcnow
from bot.services import booking, booking_notices
from bot.settings import Settings
from tests.visits_data import new_booking, new_notice, new_slot, new_tenant, stored_notice


def _tenant_id(settings: Settings, slug: str) -> int:
    with transaction(settings.database_url) as session:
        return session.scalar(select(Tenant.id).where(Tenant.slug == slug))


def _unseen(settings: Settings, *tenant_ids: int, limit: int = booking_notices.MAX_SHOWN) -> booking_notices.Unseen:
    with transaction(settings.database_url) as session:
        return booking_notices.unseen(session, tenant_ids=tenant_ids, limit=limit)


def _ids(unseen: booking_notices.Unseen) -> list[int]:
    return [line.notice.id for line in unseen.lines]


def test_only_unseen_notices_are_listed_newest_first_with_their_booking_and_slot(settings: Settings) -> None:
    slug = new_tenant(settings, name="Habitat Nord")
    slot_id = new_slot(settings, slug, days=2, hour=10)
    booking_id, reference = new_booking(settings, slot_id)
    older = new_notice(settings, booking_id, kind="booked", minutes_ago=30)
    newer = new_notice(settings, booking_id, kind="moved", minutes_ago=5)
    new_notice(settings, booking_id, kind="cancelled", minutes_ago=1, seen=True)

    unseen = _unseen(settings, _tenant_id(settings, slug))

    assert _ids(unseen) == [newer, older] and unseen.more == 0
    line = unseen.lines[0]
    assert (line.reference, line.tenant, line.slot.id, line.notice.kind) == (
        reference,
        "Habitat Nord",
        slot_id,
        "moved",
    )


def test_only_the_tenants_asked_for_are_listed(settings: Settings) -> None:
    own, other = new_tenant(settings), new_tenant(settings)
    mine = new_notice(settings, new_booking(settings, new_slot(settings, own))[0])
    new_notice(settings, new_booking(settings, new_slot(settings, other))[0])

    assert _ids(_unseen(settings, _tenant_id(settings, own))) == [mine]
    assert _unseen(settings).lines == []


def test_the_list_is_capped_and_says_how_many_more(settings: Settings) -> None:
    slug = new_tenant(settings)
    booking_id, _ = new_booking(settings, new_slot(settings, slug))
    notices = [new_notice(settings, booking_id, minutes_ago=minutes) for minutes in range(5)]

    unseen = _unseen(settings, _tenant_id(settings, slug), limit=3)

    assert _ids(unseen) == notices[:3] and unseen.more == 2


def test_what_booking_writes_is_listed(settings: Settings) -> None:
    slug = new_tenant(settings)
    booking_id, reference = new_booking(settings, new_slot(settings, slug))

    with transaction(settings.database_url) as session:
        booking.cancel(session, booking=session.get_one(Booking, booking_id))

    (line,) = _unseen(settings, _tenant_id(settings, slug)).lines
    assert line.notice.kind == "cancelled" and reference in line.notice.detail


def test_a_notice_marked_seen_leaves_the_list_and_a_second_mark_keeps_the_first_time(settings: Settings) -> None:
    slug = new_tenant(settings)
    booking_id, reference = new_booking(settings, new_slot(settings, slug))
    notice_id = new_notice(settings, booking_id)
    first, later = utcnow(), utcnow() + timedelta(minutes=5)

    for now in (first, later):
        with transaction(settings.database_url) as session:
            found = booking_notices.mark_seen(session, notice_id=notice_id, tenant_ids=None, now=now)
        assert found == reference

    assert _unseen(settings, _tenant_id(settings, slug)).lines == []
    seen_at = stored_notice(settings, notice_id).seen_at
    assert seen_at is not None and abs(seen_at - first) < timedelta(seconds=1)


def test_another_tenant_s_notice_or_an_unknown_one_is_not_found(settings: Settings) -> None:
    own, other = new_tenant(settings), new_tenant(settings)
    theirs = new_notice(settings, new_booking(settings, new_slot(settings, other))[0])

    for notice_id in (theirs, 987_654_321):
        with pytest.raises(NotFound), transaction(settings.database_url) as session:
            booking_notices.mark_seen(
                session, notice_id=notice_id, tenant_ids=frozenset({_tenant_id(settings, own)}), now=utcnow()
            )

    assert stored_notice(settings, theirs).seen_at is None


def test_marking_all_marks_those_asked_for_the_account_s_tenants_only(settings: Settings) -> None:
    own, other = new_tenant(settings), new_tenant(settings)
    own_booking, _ = new_booking(settings, new_slot(settings, own))
    asked = [new_notice(settings, own_booking), new_notice(settings, own_booking)]
    already = new_notice(settings, own_booking, seen=True)
    not_asked = new_notice(settings, own_booking)  # arrived after the page was drawn
    theirs = new_notice(settings, new_booking(settings, new_slot(settings, other))[0])

    with transaction(settings.database_url) as session:
        changed = booking_notices.mark_all_seen(
            session, notice_ids=[*asked, already, theirs], tenant_ids={_tenant_id(settings, own)}, now=utcnow()
        )

    assert changed == 2
    assert all(stored_notice(settings, n).seen_at is not None for n in asked)
    assert stored_notice(settings, not_asked).seen_at is None and stored_notice(settings, theirs).seen_at is None
    assert _ids(_unseen(settings, _tenant_id(settings, own))) == [not_asked]


def test_marking_nothing_changes_nothing(settings: Settings) -> None:
    with transaction(settings.database_url) as session:
        assert booking_notices.mark_all_seen(session, notice_ids=[], tenant_ids=None, now=utcnow()) == 0


def test_an_old_notice_of_a_past_visit_is_listed_until_seen(settings: Settings) -> None:
    slug = new_tenant(settings)
    booking_id, _ = new_booking(settings, new_slot(settings, slug, days=-3))
    notice_id = new_notice(settings, booking_id, kind="cancelled", minutes_ago=60 * 24 * 10)

    assert _ids(_unseen(settings, _tenant_id(settings, slug))) == [notice_id]
