"""A slot chosen by typing: the one slot the words fit, the soonest for "le plus tôt", else a narrower list."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.models import SlotKind, VisitSlot
from bot.services.slot_choice import choose_slot

ZONE = ZoneInfo("Europe/Paris")
# A Monday; slots on Thursday 10, Friday 11 and Thursday 17 December.
TODAY = date(2026, 12, 7)
STARTS = [(10, time(9, 30)), (10, time(14)), (11, time(15)), (17, time(10)), (17, time(14))]
SLOTS = [
    VisitSlot(id=n, kind=SlotKind.HOME_VISIT, starts_at=datetime.combine(date(2026, 12, day), at, tzinfo=ZONE))
    for n, (day, at) in enumerate(STARTS)
]


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("le plus tot possible", 0),
        ("n'importe quand", 0),
        ("jeudi 17 a 14h", 4),
        ("le 17 à 10h", 3),
        ("vendredi aprem", 2),
        ("mercredi 10 à 9h30", 0),
        ("le 11", 2),
    ],
)
def test_words_that_fit_one_slot_choose_it(text: str, index: int) -> None:
    assert choose_slot(text, SLOTS, TODAY, ZONE).slot is SLOTS[index]


@pytest.mark.parametrize(
    "text",
    # Two Thursdays, two slots at 14h, no slot at 11h on the 10th: the list narrows instead.
    ["jeudi", "celui de 14h", "jeudi apres-midi", "le 10 a 11h"],
)
def test_a_wish_several_slots_fit_chooses_none(text: str) -> None:
    choice = choose_slot(text, SLOTS, TODAY, ZONE)
    assert choice.slot is None and choice.wish.understood


def test_words_without_a_date_choose_nothing() -> None:
    choice = choose_slot("aucun ne me va", SLOTS, TODAY, ZONE)
    assert choice.slot is None and not choice.wish.understood
