"""The knowledge base: load and check ``knowledge/<topic>/<id>.md`` (format: docs/knowledge.md).

knowledge/ is the only place an answer is written; ``answer_reply`` turns an
entry into the message the bot sends.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.services.conversations import Button, Reply
from bot.settings import PROJECT_ROOT

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
TOPICS = ("biowaste", "energy", "regie", "landlord")
AUDIENCES = ("resident", "landlord", "both")
MIN_QUESTIONS = 10
MAX_ANSWER_CHARS = 700
MAX_TITLE_CHARS = 80
ID_PATTERN = re.compile(r"^[a-z0-9_]+$")
URL_PATTERN = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)

# The buttons an entry may offer after its answer, by their name in the front matter.
FOLLOW_UPS = {
    "book_visit": ("Prendre rendez-vous avec un médiateur", "/book_visit"),
    "report_problem": ("Signaler un problème", "/report_problem"),
    "talk_to_mediator": ("Parler à un médiateur", "/request_human"),
}


class KnowledgeError(ValueError):
    """A malformed entry; the message names the file and the reason."""


@dataclass(frozen=True)
class Source:
    """Where a fact of an answer comes from."""

    title: str
    url: str


@dataclass(frozen=True)
class Entry:
    """One question of the knowledge base and its answer."""

    id: str
    title: str
    audience: str
    topic: str
    questions: tuple[str, ...]
    sources: tuple[Source, ...]
    updated: datetime.date
    follow_up: tuple[str, ...]
    answer: str


def load_entries(root: Path = KNOWLEDGE_DIR) -> list[Entry]:
    """Every entry under ``root``, checked one by one and together; sorted by id."""
    entries = [parse_entry(path) for path in sorted(root.glob("*/*.md"))]
    _check_together(entries)
    return sorted(entries, key=lambda entry: entry.id)


def parse_entry(path: Path) -> Entry:
    """The entry in ``path``, or ``KnowledgeError`` saying what is wrong with it."""
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if not match:
        raise KnowledgeError(f"{path}: no front matter between two '---' lines")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{path}: front matter is not valid YAML ({error})") from error
    if not isinstance(meta, dict):
        raise KnowledgeError(f"{path}: front matter is not a mapping")
    try:
        entry = _entry_from(meta, match.group(2).strip())
    except (KeyError, TypeError, ValueError) as error:
        raise KnowledgeError(f"{path}: {error}") from error
    _check(entry, path)
    return entry


def _entry_from(meta: dict, answer: str) -> Entry:
    missing = {"id", "title", "audience", "topic", "questions", "sources", "updated"} - set(meta)
    if missing:
        raise ValueError(f"missing field(s): {', '.join(sorted(missing))}")
    return Entry(
        id=str(meta["id"]),
        title=str(meta["title"]),
        audience=str(meta["audience"]),
        topic=str(meta["topic"]),
        questions=tuple(str(q).strip() for q in meta["questions"]),
        sources=tuple(Source(title=str(s["title"]), url=str(s["url"])) for s in meta["sources"]),
        updated=_date(meta["updated"]),
        follow_up=tuple(meta.get("follow_up") or ()),
        answer=answer,
    )


def _date(value: object) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _check(entry: Entry, path: Path) -> None:
    problems = [
        f"id {entry.id!r} must be snake_case ASCII" if not ID_PATTERN.match(entry.id) else "",
        f"id must equal the file name {path.stem!r}" if entry.id != path.stem else "",
        f"topic must be one of {TOPICS} and equal the folder" if entry.topic not in TOPICS else "",
        "topic must equal the folder" if entry.topic != path.parent.name else "",
        f"id must start with {entry.topic}_" if not entry.id.startswith(f"{entry.topic}_") else "",
        f"audience must be one of {AUDIENCES}" if entry.audience not in AUDIENCES else "",
        f"title longer than {MAX_TITLE_CHARS} characters" if len(entry.title) > MAX_TITLE_CHARS else "",
        f"only {len(set(entry.questions))} distinct questions, at least {MIN_QUESTIONS} needed"
        if len(set(entry.questions)) < MIN_QUESTIONS
        else "",
        "a question starts with '/'" if any(q.startswith("/") for q in entry.questions) else "",
        "an empty question" if not all(entry.questions) else "",
        "no source" if not entry.sources else "",
        *(f"source URL {s.url!r} is not an http(s) URL" for s in entry.sources if not URL_PATTERN.match(s.url)),
        *(f"unknown follow_up {f!r}" for f in entry.follow_up if f not in FOLLOW_UPS),
        "empty answer" if not entry.answer else "",
        f"answer of {len(entry.answer)} characters, at most {MAX_ANSWER_CHARS}"
        if len(entry.answer) > MAX_ANSWER_CHARS
        else "",
        "answer contains HTML" if re.search(r"<[a-zA-Z/]", entry.answer) else "",
    ]
    problems = [p for p in problems if p]
    if problems:
        raise KnowledgeError(f"{path}: {'; '.join(problems)}")


def _check_together(entries: list[Entry]) -> None:
    seen_ids: set[str] = set()
    owner_of_question: dict[str, str] = {}
    for entry in entries:
        if entry.id in seen_ids:
            raise KnowledgeError(f"knowledge/{entry.topic}/{entry.id}.md: id {entry.id!r} used twice")
        seen_ids.add(entry.id)
        for question in entry.questions:
            key = question.casefold()
            if owner_of_question.get(key, entry.id) != entry.id:
                raise KnowledgeError(
                    f"knowledge/{entry.topic}/{entry.id}.md: question {question!r} is also in {owner_of_question[key]}"
                )
            owner_of_question[key] = entry.id


def answer_reply(entry: Entry) -> Reply:
    """The bot's message for an entry: the answer, its sources, its follow-up buttons."""
    sources = "\n".join(f"Source : {source.title} — {source.url}" for source in entry.sources)
    buttons = tuple(Button(title=FOLLOW_UPS[name][0], payload=FOLLOW_UPS[name][1]) for name in entry.follow_up)
    # One line break only: Rasa's REST channel splits a text at blank lines.
    return Reply(text=f"{entry.answer}\n{sources}", buttons=buttons)
