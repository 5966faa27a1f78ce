"""Spot sensitive matters a resident writes about spontaneously: health, debts, beliefs, origins, justice.

RGPD art. 9 data (and debts, which residents of social housing often mention)
need no consent when typed spontaneously, but the CNIL asks to warn people
not to share them and to purge them early (docs/privacy.md). Such a message is
flagged for the mediator, kept out of any training data, purged after
``RETENTION_SENSITIVE_DAYS``, and the bot reminds the resident once, gently.

Text is normalised as for urgencies (``urgency.normalise``: no accents, no
punctuation, SMS spellings), then matched against word patterns. Words with a
common harmless meaning here ("traitement des déchets", "une enceinte") are
left out or need their context.
"""

import re

from bot.services.urgency import normalise

_PATTERNS: dict[str, tuple[str, ...]] = {
    "health": (
        r"\b(malade|maladie|maladies|cancer|diabete|diabetique|depression|depressif|depressive|asthme)\b",
        r"\b(handicap|handicape|handicapee|invalidite|mdph|aah|fauteuil roulant)\b",
        r"\b(hopital|hospitalise|hospitalisee|chimio|chimiotherapie|dialyse|psychiatre|psychiatrique)\b",
        r"\b(vih|sida|seropositif|seropositive|medicaments|ordonnance medicale)\b",
        r"\b(je suis|elle est|ma femme est|ma fille est) enceinte\b",
        r"\bgrossesse\b",
    ),
    "debts": (
        r"\b(dette|dettes|endette|endettee|endettes|surendettement|surendette|surendettee)\b",
        r"\b(impaye|impayes|impayee|impayees)\b",
        r"\b(retard|retards) (de|d) (loyer|loyers|paiement)\b",
        r"\b(credit|credits) (a la consommation|revolving)\b",
    ),
    "beliefs": (
        r"\b(religion|musulman|musulmane|chretien|chretienne|juif|juive|mosquee|synagogue|ramadan)\b",
        r"\b(syndique|syndiquee|parti politique)\b",
    ),
    "origins_and_status": (
        r"\b(sans papiers|titre de sejour|en situation irreguliere|demandeur d asile|demandeuse d asile)\b",
    ),
    "justice": (r"\b(casier judiciaire|en prison|(sort|sorti|sortie) de prison|condamne|condamnee)\b",),
    "private_life": (r"\b(homosexuel|homosexuelle|lesbienne|bisexuel|bisexuelle|transgenre)\b",),
}
_COMPILED = {kind: tuple(re.compile(p) for p in patterns) for kind, patterns in _PATTERNS.items()}


def detect(text: str | None) -> tuple[str, ...]:
    """The kinds of sensitive matter ``text`` mentions (empty when none)."""
    if not text:
        return ()
    plain = normalise(text)
    return tuple(kind for kind, patterns in _COMPILED.items() if any(p.search(plain) for p in patterns))
