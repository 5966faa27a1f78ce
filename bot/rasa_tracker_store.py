"""Rasa's SQL tracker store, remembering each conversation's tracker between its turns.

Run inside Rasa's process (.venv-rasa, SQLAlchemy 1.4); of ours it imports
only ``bot.db``. endpoints.yml names it as Rasa's tracker store.

Rasa's own ``SQLTrackerStore`` reads every event of the conversation back and
replays them at each message, then counts them again before saving: a third
of Rasa's time on a FAQ message (py-spy, docs/architecture.md). This store
keeps the tracker it saved last and trusts it only while the database still
holds exactly what it wrote: one indexed query (how many events the sender
has, and the highest id) tells. Anything else that wrote or deleted events
in between (another Rasa process, a resident's erasure, the retention purge)
changes that mark, and the tracker is read again as Rasa would.

On SQLite it uses our own engine (``bot.db.make_engine``): pooled (SQLAlchemy
1.4 opens a new connection for each session on a file database), WAL and a
busy timeout like the web app's, and no resident's words in an error.
"""

import itertools
import json
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.db import make_engine

logger = logging.getLogger(__name__)

# Conversations remembered at once; the least recently used is forgotten first.
REMEMBERED_CONVERSATIONS = 1000
# A conversation idle this long is forgotten: memory is not kept for residents
# who left, and an erased resident's tracker does not linger in Rasa's memory.
FORGET_AFTER_SECONDS = 15 * 60


_EVENTS = SQLTrackerStore.SQLEvent.__table__
MARK_QUERY = sa.select(sa.func.count(_EVENTS.c.id), sa.func.max(_EVENTS.c.id)).where(
    _EVENTS.c.sender_id == sa.bindparam("sender_id")
)


@dataclass(frozen=True)
class Mark:
    """What the database holds for one sender: how many events, and the highest id."""

    count: int
    last_id: int | None


@dataclass(frozen=True)
class Remembered:
    """A tracker as saved, with the database's mark just after the save."""

    tracker: DialogueStateTracker
    saved_events: int
    mark: Mark
    used_at: float


class RememberingSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` that answers from memory when the database has not changed since its last save."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401 - Rasa passes its endpoint config through
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            self._keep_sqlite_connections()
        self._remembered: OrderedDict[str, Remembered] = OrderedDict()
        logger.info("tracker store: SQL, remembering up to %d conversations", REMEMBERED_CONVERSATIONS)

    def _keep_sqlite_connections(self) -> None:
        """Our engine for SQLite (pooled, WAL, busy timeout): the web app and the purge write to this file too."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = make_engine(str(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _mark(self, session: sa.orm.Session, sender_id: str) -> Mark:
        # A Core statement built once: as an ORM query it cost about a millisecond each turn.
        count, last_id = session.execute(MARK_QUERY, {"sender_id": sender_id}).one()
        return Mark(count, last_id)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The remembered tracker if nothing changed it since, else Rasa's own reading."""
        remembered = self._remembered.get(sender_id)
        with self.session_scope() as session:
            # Marked before reading: an event written meanwhile makes the next turn read again.
            mark = self._mark(session, sender_id)
        if remembered and remembered.mark == mark and len(remembered.tracker.events) == remembered.saved_events:
            self._remember(remembered.tracker, remembered.saved_events, mark)
            return remembered.tracker
        # Gone, or changed by another writer, or left with unsaved events by a failed turn.
        self._remembered.pop(sender_id, None)
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._remember(tracker, len(tracker.events), mark)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Insert the events added since the remembered save; Rasa's own save for any other tracker."""
        remembered = self._remembered.pop(tracker.sender_id, None)
        if remembered is None or remembered.tracker is not tracker:
            await super().save(tracker)
            return
        await self.stream_events(tracker)
        new_events = list(itertools.islice(tracker.events, remembered.saved_events, None))
        with self.session_scope() as session:
            rows = [self._row(tracker.sender_id, event.type_name, event.as_dict()) for event in new_events]
            session.add_all(rows)
            # Ids are known once flushed; read after the commit, they would each cost a query.
            session.flush()
            last_id = rows[-1].id if rows else remembered.mark.last_id
            session.commit()
        mark = Mark(remembered.mark.count + len(rows), last_id)
        self._remember(tracker, len(tracker.events), mark)

    def _row(self, sender_id: str, type_name: str, data: dict[str, Any]) -> Any:  # noqa: ANN401 - Rasa's ORM class
        """One event as Rasa's own save writes it."""
        return self.SQLEvent(
            sender_id=sender_id,
            type_name=type_name,
            timestamp=data.get("timestamp"),
            intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            action_name=data.get("name"),
            data=json.dumps(data),
        )

    def _remember(self, tracker: DialogueStateTracker, saved_events: int, mark: Mark) -> None:
        now = time.monotonic()
        self._remembered[tracker.sender_id] = Remembered(tracker, saved_events, mark, now)
        self._remembered.move_to_end(tracker.sender_id)
        # Least recently used first: forget from the front while too many or idle too long.
        while self._remembered and (
            len(self._remembered) > REMEMBERED_CONVERSATIONS
            or next(iter(self._remembered.values())).used_at < now - FORGET_AFTER_SECONDS
        ):
            self._remembered.popitem(last=False)
