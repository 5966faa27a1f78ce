"""Retention with a moved clock, on a database of its own (a purge months ahead touches every row)."""

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bot.cli import setup
from bot.db import session_factory, transaction
from bot.models import Booking, Message, RequestStatus, ResidentRequest, utcnow
from bot.services import personal_data, retention
from bot.settings import Settings
from tests.privacy_data import make_someone, traces_left, tracker_rows, write_tracker_events

PERIODS = retention.Periods(transcript_days=365, booking_contact_days=90, request_details_days=180, sensitive_days=30)


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings on a throwaway database: SQLite, or a new PostgreSQL database when the run uses PostgreSQL."""
    var_dir = tmp_path_factory.mktemp("retention")
    server_url = Settings().database_url
    if not server_url.startswith("postgresql"):
        settings = Settings(database_url=f"sqlite:///{var_dir / 'regie.db'}", var_dir=var_dir)
        setup(settings)
        yield settings
        return
    name = f"regie_retention_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
        settings = Settings(database_url=url, var_dir=var_dir)
        setup(settings)
        yield settings
    finally:
        session_factory(url).kw["bind"].dispose()  # its pooled connections, before the database goes
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def tracker(own: Settings) -> str:
    # Rasa's own table is not ours to create in a shared database: the test's tracker store is a file.
    return f"sqlite:///{own.var_dir / 'test-tracker.db'}"


def purge_at(own: Settings, days: int) -> retention.Purged:
    return retention.run(
        own.database_url, tracker_store_url=tracker(own), photo_dir=own.photo_dir,
        now=utcnow() + timedelta(days=days), periods=PERIODS,
    )  # fmt: skip


def flag_sensitive(own: Settings, conversation_id: str) -> None:
    with transaction(own.database_url) as session:
        for message in session.scalars(select(Message).where(Message.conversation_id == conversation_id)):
            message.sensitive = True


def booking_names(own: Settings, references: tuple[str, ...]) -> list[str]:
    with transaction(own.database_url) as session:
        return [session.scalar(select(Booking.name).where(Booking.reference == ref)) for ref in references]


def test_sensitive_messages_go_after_30_days_the_rest_stays(own):
    someone = make_someone(own.database_url, own.var_dir)
    flag_sensitive(own, someone.conversation_ids[1])

    purge_at(own, 29)
    kept = traces_left(own.database_url, tracker(own), (someone.texts[1],))
    purge_at(own, 31)

    assert kept == ["messages.text"]
    assert traces_left(own.database_url, tracker(own), (someone.texts[1],)) == []
    assert traces_left(own.database_url, tracker(own), (someone.texts[0],)) == ["messages.text"]


def test_a_booking_s_contact_details_go_three_months_after_the_visit(own):
    someone = make_someone(own.database_url, own.var_dir)
    coming, past = someone.booking_references

    purge_at(own, 59)
    before = booking_names(own, (coming, past))
    purge_at(own, 61)  # the past visit (30 days ago) is now 91 days old; the coming one 58

    assert before == [someone.name, someone.name]
    assert booking_names(own, (coming, past)) == [someone.name, personal_data.ERASED]


def test_a_closed_request_is_reduced_to_anonymous_facts_after_its_period(own):
    someone = make_someone(own.database_url, own.var_dir)
    with transaction(own.database_url) as session:
        request = session.scalar(select(ResidentRequest).where(ResidentRequest.reference == someone.request_reference))
        request.status = RequestStatus.DONE

    purge_at(own, 179)
    kept = someone.photo_path.exists()
    purge_at(own, 181)

    with transaction(own.database_url) as session:
        request = session.scalar(select(ResidentRequest).where(ResidentRequest.reference == someone.request_reference))
        assert (request.category, request.place, request.description) == ("lighting", "hall B", personal_data.ERASED)
    assert kept and not someone.photo_path.exists()


def test_after_a_year_of_silence_nothing_of_the_resident_remains(own):
    someone = make_someone(own.database_url, own.var_dir)
    for conversation_id, said in zip(someone.conversation_ids, someone.texts, strict=True):
        write_tracker_events(tracker(own), conversation_id, said)

    purge_at(own, 364)
    kept = traces_left(own.database_url, tracker(own), someone.needles)
    purged = purge_at(own, 366)

    assert kept and set(someone.conversation_ids) <= set(purged.conversations)
    assert traces_left(own.database_url, tracker(own), someone.needles) == []
    assert tracker_rows(tracker(own), someone.conversation_ids) == 0


def test_a_second_purge_the_same_day_changes_nothing(own):
    make_someone(own.database_url, own.var_dir)
    purge_at(own, 400)

    again = purge_at(own, 400)

    assert (again.sensitive_messages, again.residents, again.booking_contacts, again.requests) == (0, 0, 0, 0)
