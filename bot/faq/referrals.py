"""Questions no knowledge entry covers, answered honestly: not our field, and who can help.

"j'arrive plus à payer mon loyer" is close to the energy-bill entries, but
the right answer is the landlord, the FSL and the CCAS. knowledge/referrals.yml
lists such subjects: the words that recognise them, the words of questions an
entry does cover (``unless``), and the answer.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.faq.entries import FOLLOW_UPS, KNOWLEDGE_DIR
from bot.services.conversations import Button
from bot.services.when import plain

REFERRALS_FILE = "referrals.yml"


@dataclass(frozen=True)
class Referral:
    """A subject we do not cover: how to recognise it and the answer that says who can help."""

    id: str
    words: re.Pattern[str]
    unless: re.Pattern[str] | None
    answer: str
    buttons: tuple[Button, ...]

    def matches(self, text: str) -> bool:
        """Whether ``text`` is about this subject, and not about one an entry covers."""
        words = plain(text)
        return self.words.search(words) is not None and not (self.unless and self.unless.search(words))


@cache
def load_referrals(knowledge_dir: Path = KNOWLEDGE_DIR) -> tuple[Referral, ...]:
    """The referrals of ``knowledge_dir/referrals.yml`` (none when the file is missing)."""
    path = knowledge_dir / REFERRALS_FILE
    if not path.exists():
        return ()
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["referrals"]
    return tuple(
        Referral(
            id=item["id"],
            words=_any_of(item["words"]),
            unless=_any_of(item["unless"]) if item.get("unless") else None,
            answer=" ".join(item["answer"].split()),
            buttons=tuple(Button(*FOLLOW_UPS[name]) for name in item.get("buttons", ["talk_to_mediator"])),
        )
        for item in items
    )


def referral_for(text: str, knowledge_dir: Path = KNOWLEDGE_DIR) -> Referral | None:
    """The subject we do not cover that ``text`` asks about, if any."""
    return next((referral for referral in load_referrals(knowledge_dir) if referral.matches(text)), None)


def _any_of(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(re.escape(plain(word)) for word in words) + r")\b")
