"""Rasa's tracker store, seen from our side: only to delete a conversation's events.

Rasa owns the table (``events``, created by Rasa's SQLAlchemy 1.4); our ORM
never maps it. Its ``sender_id`` is our conversation id, since the router
never lets Rasa see a client's id. Deleting must happen when Rasa is not
holding that conversation in memory: Rasa saves a tracker by appending the
events the table lacks, so a delete during one of its turns would be undone
by the end of that turn (the router deletes after Rasa answered).
"""

from collections.abc import Collection

from sqlalchemy import column, delete, inspect, table

from bot.db import session_factory

EVENTS = table("events", column("sender_id"))
# Bound parameters per statement: well under SQLite's and PostgreSQL's limits.
CHUNK = 500


def delete_events(tracker_store_url: str, conversation_ids: Collection[str]) -> int:
    """Delete every tracker event of these conversations; return how many went. Harmless when repeated."""
    if not conversation_ids:
        return 0
    engine = session_factory(tracker_store_url).kw["bind"]
    # Rasa creates the table at its first start: before that there is nothing to delete.
    if not inspect(engine).has_table("events"):
        return 0
    ids = sorted(conversation_ids)
    deleted = 0
    with engine.begin() as connection:
        for start in range(0, len(ids), CHUNK):
            result = connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(ids[start : start + CHUNK])))
            deleted += result.rowcount
    return deleted
