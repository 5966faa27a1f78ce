"""Which visit slot a resident means when they type instead of tapping a slot's button.

"le plus tôt possible" means the soonest slot; "jeudi 17 à 14h" or "mardi
après-midi" means the one free slot that fits, when only one does. A wish
that several slots fit ("jeudi", "vers 14h") narrows the list proposed next.
"""

import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.models import VisitSlot
from bot.services.booking import fitting_the_wish
from bot.services.when import When, parse_when, plain

# Any slot will do: the soonest one is the resident's choice.
ANY_TIME = re.compile(
    r"\b(le plus tot|au plus tot|des que possible|au plus vite|le plus vite|n'?importe quand|n'?importe lequel|"
    r"peu importe|quand vous voulez|comme vous voulez|ca m'?est egal|pas de preference|"
    r"le (premier|prochain) (creneau )?(dispo|disponible|libre))\b"
)


@dataclass(frozen=True)
class SlotChoice:
    """The one slot the text means, or the wish it expresses (understood or not)."""

    slot: VisitSlot | None
    wish: When


def speaks_of_a_time(text: str, today: date) -> bool:
    """Whether ``text`` says anything about when: a day, a time, or "n'importe quand"."""
    return ANY_TIME.search(plain(text)) is not None or parse_when(text, today).understood


def choose_slot(text: str, slots: list[VisitSlot], today: date, zone: ZoneInfo) -> SlotChoice:
    """The slot among ``slots`` (soonest first) that ``text`` designates, if it designates one."""
    wish = parse_when(text, today)
    if slots and ANY_TIME.search(plain(text)):
        return SlotChoice(slots[0], wish)
    if not wish.understood or wish.in_the_past:
        return SlotChoice(None, wish)
    fitting = fitting_the_wish(slots, wish, zone)
    at_that_time = [slot for slot in fitting if slot.starts_at.astimezone(zone).time() == wish.around]
    if len(at_that_time) == 1:
        return SlotChoice(at_that_time[0], wish)
    # "mardi après-midi" with one Tuesday afternoon free; a time that no slot has is shown its neighbours instead.
    if len(fitting) == 1 and wish.around is None:
        return SlotChoice(fitting[0], wish)
    return SlotChoice(None, wish)
