"""Spot an urgent situation in a resident's message, before the bot answers it.

Residents write without accents, with typos and SMS spellings, so the text is
normalised (lower case, no accents, no punctuation), misspelt key words are
corrected against a small vocabulary, then matched against patterns.

Patterns describe a situation happening now ("on m'a coupé l'électricité"),
not a question about rules ("peut-on me couper l'électricité en hiver ?"):
the infinitive "couper" is left out on purpose. A danger (gas, fire,
violence, suicide, medical emergency) gets the emergency numbers first.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Kinds that put someone in danger now: the numbers come before anything else.
DANGER_KINDS = ("gas", "fire", "electric", "violence", "suicide", "medical", "distress")

_ENERGY = r"(electricite|elec|courant|lumiere|gaz|chauffage|eau chaude|eau)"
_COMMON_AREAS = r"(escalier|escaliers|hall|cage|couloir|parking|cave|caves|entree|palier|local|ascenseur|cour)"
_PATTERNS: dict[str, tuple[str, ...]] = {
    "gas": (
        r"\b(odeur|sent|sens|senteur|ca pue)( fort)? (de |du |le |la )?gaz\b",
        r"\bfuite (de |du )?gaz\b",
        r"\bgaz (qui )?fuit\b",
        r"\bmonoxyde\b",
    ),
    "fire": (
        r"\bincendie\b",
        r"\b(au|en|le) feu\b(?! (vert|rouge|d artifice))",
        r"\bfumee (noire|partout|dans)\b",
        r"\b(il y a|y a|ya) (de la |plein de )?fumee\b",
        r"\b(ca|sa) (fume|crame)\b",
        r"\bsent le (brule|crame)\b",
    ),
    "electric": (
        r"\b(fil|fils|cable|cables)( electrique| electriques)? "
        r"(denude|denudes|a nu|arrache|arraches|qui pend|qui pendent)\b",
        r"\b(etincelle|etincelles|court circuit|electrocute|electrocutee|electrocution)\b",
        r"\b(prise|tableau electrique|compteur|boitier|disjoncteur) (qui )?(fume|brule|crame|fait des etincelles)\b",
    ),
    "violence": (
        # "les bât. A et B" is an address, not "il les bat".
        r"\b(me|nous|la|le|les) (frappe|frappent|tape|tapent|battent|bat(?! ([a-z]|\d+)\b))\b",
        r"\b(m a|nous a|l a|m ont|nous ont) (frappe|frappee|battu|battue|tape|tapee|agresse|agressee)\b",
        r"\b(bat|frappe) (sa|ses|ma|mes|son|mon) (femme|mari|enfant|enfants|fille|fils|mere|copine)\b",
        r"\b(violence|violences|violent|agresse|agressee|agression)\b",
        r"\b(menace|menaces|menacee) (de mort|avec)\b",
        r"\b(va|vont|veut|veulent) (me|nous) tuer\b",
        r"\b(avec|a) (un|une) (couteau|arme)\b",
    ),
    "suicide": (
        r"\bsuicid",
        r"\bje (vais|veux) me tuer\b",
        r"\b(veux|vais|envie d) en finir\b",
        r"\bmettre fin a (mes|ma) (jours|vie)\b",
        r"\b(veux|vais|envie de|envie d) mourir\b",
        r"\bplus envie de vivre\b",
    ),
    "medical": (
        r"\b(malaise|inconscient|inconsciente|respire plus|respire pas|perd connaissance)\b",
        # "blessé par ses propos" is hurt feelings, not an injury.
        r"\b(blesse|blessee|blesses|blessees|saigne|saignent)\b(?! par)",
    ),
    "energy_cut": (
        rf"\b(m ont|m a|ont|a|on m a|ils m ont) coupe (l |le |la |mon |ma |notre )?{_ENERGY}",
        rf"\b{_ENERGY} (est |a ete |ont ete |sont )?(coupe|coupee|coupes|coupees)\b",
        # "j'ai plus de courant", not "le frigo consomme plus d'électricité".
        # "plus de lumière dans l'escalier" is a common area's light to report, not a cut at home.
        rf"(?:^|\b(?:ai|a|avons|ont|reste|encore|toujours)\b) ?(?:plus|pas|aucun|aucune|jamais) "
        rf"(?:d |de |du |de l )?{_ENERGY}\b(?! (pour|que|qu|dans (l |le |la |les )?{_COMMON_AREAS}))",
        rf"\bsans {_ENERGY}\b",
        r"\bpanne (de |d |du )?(courant|electricite|lumiere)\b",
        r"\b(compteur|linky|disjoncteur) (est |a ete )?(coupe|bloque)\b",
        r"\b(j ai|on a|nous avons|il y a|y a) (une )?coupure\b",
    ),
    "heating_cut": (
        r"\b(chauffage|chaudiere|chaufferie|radiateur|radiateurs)( collectif| collective| central)? "
        r"(est |sont )?(completement |tout |tous |toujours )?(en panne|hs|hors service|ne marche plus|"
        r"marche plus|ne fonctionne plus|fonctionne plus|ne chauffe plus|ne chauffent plus|chauffe plus|"
        r"chauffent plus|en rade|glace|glaces|froid|froids)\b",
        r"\b(aucun|pas un) radiateur (ne )?chauffe\b",
        r"\bpanne (de |du )?(chauffage|chaudiere|chaufferie)\b",
    ),
    "eviction": (
        r"\b(expulsion|expulse|expulsee|expulses|expulser)\b",
        r"\bhuissier",
        r"\b(mis|mise|mettre|jete|jetee) (a la porte|dehors)\b",
        r"\bcommandement de (quitter|payer)\b",
        r"\b(je suis|on est|nous sommes|je vais etre|on va etre) a la rue\b",
    ),
    "distress": (
        r"\b(detresse|desespere|desesperee|au bout du rouleau)\b",
        r"\bje (n en|en) peux plus\b",
        r"\bplus rien a manger\b",
    ),
}
_COMPILED = {kind: tuple(re.compile(p) for p in patterns) for kind, patterns in _PATTERNS.items()}

# Key words whose misspellings residents type: "chaufage" and "electrisite" must still match.
_VOCABULARY = (
    "electricite", "chauffage", "chaudiere", "chaufferie", "radiateur", "radiateurs",
    "expulsion", "expulse", "expulsee", "huissier", "incendie", "violence", "violences", "agression",
    "suicide", "suicider", "detresse", "desespere", "desesperee", "malaise", "inconscient", "monoxyde",
    "etincelles", "electrique", "denudes", "blessee",
    "compteur", "fonctionne", "chauffe", "chauffent",
    # Not misspellings of "expulse": "ma facture a explosé".
    "explose", "explosee", "exploser", "explosion",
)  # fmt: skip
_SPELLINGS = {
    "pu": "plus",
    "ya": "y a",
    "jai": "j ai",
    "chofage": "chauffage",
    "elect": "electricite",
    "jsuis": "je suis",
}
# 0.85: "violance" is corrected, while "silence" is not taken for "violence" nor "adresse" for "detresse".
TYPO_CUTOFF = 0.85
MIN_TYPO_LENGTH = 5


@dataclass(frozen=True)
class Urgency:
    """What a message shows: the kinds of urgent situation, and whether someone is in danger."""

    kinds: tuple[str, ...]

    @property
    def danger(self) -> bool:
        """Whether the emergency numbers come first."""
        return any(kind in DANGER_KINDS for kind in self.kinds)


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, SMS spellings and typos of key words corrected."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    return " ".join(_SPELLINGS.get(word) or _corrected(word) for word in words)


@lru_cache(maxsize=4096)
def _corrected(word: str) -> str:
    if len(word) < MIN_TYPO_LENGTH or word in _VOCABULARY:
        return word
    # Typos keep the first letter and about the length: the rest of the vocabulary is not compared.
    candidates = [v for v in _VOCABULARY if v[0] == word[0] and abs(len(v) - len(word)) <= 2]
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=TYPO_CUTOFF)
    return close[0] if close else word


def detect(text: str | None) -> Urgency | None:
    """The urgent situation ``text`` describes, or None."""
    if not text:
        return None
    plain = normalise(text)
    kinds = tuple(kind for kind, patterns in _COMPILED.items() if any(p.search(plain) for p in patterns))
    return Urgency(kinds) if kinds else None


# Numbers: 112 (European emergency number), 18 (pompiers), 15 (SAMU), 17 (police), from
# service-public.fr's "numéros d'urgence"; Urgence Sécurité Gaz (grdf.fr); 3114 (3114.fr,
# suicide prevention, 24/7); 3919 (arretonslesviolences.gouv.fr, violence against women, 24/7).
EMERGENCY_FIRST = (
    "⚠️ Si vous êtes en danger, appelez tout de suite les secours : 112, ou 18 (pompiers), 15 (SAMU), 17 (police)."
)
_EMERGENCY_BY_KIND = {
    "gas": (
        "Odeur de gaz : n'allumez ni n'éteignez rien (ni lumière ni flamme), ouvrez les fenêtres, sortez, "
        "puis appelez Urgence Sécurité Gaz au 0 800 47 33 33 (gratuit, 24 h/24)."
    ),
    "fire": "Incendie : sortez et appelez le 18 (pompiers) ou le 112.",
    "violence": "Violences : appelez le 17 (police). Violences conjugales : 3919 (gratuit, anonyme, 24 h/24).",
    "suicide": "Si vous pensez au suicide, appelez le 3114 (gratuit, 24 h/24) : quelqu'un vous écoute.",
    "medical": "Malaise ou blessure : appelez le 15 (SAMU).",
    "electric": "Danger électrique : ne touchez à rien, éloignez tout le monde et appelez le 18 (pompiers) ou le 112.",
}


def emergency_numbers(urgency: Urgency) -> str:
    """The first reply to a danger: the general numbers, then the ones for this situation."""
    lines = [EMERGENCY_FIRST] + [_EMERGENCY_BY_KIND[kind] for kind in urgency.kinds if kind in _EMERGENCY_BY_KIND]
    return "\n".join(lines)
