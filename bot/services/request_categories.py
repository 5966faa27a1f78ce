"""What a resident can report, who usually handles it, and how to read it from their words.

"Il y a des encombrants dans le local poubelle" already says the category
(bulky items) and the spot (the bin room): the report form then skips the
question it would ask. Words are matched after ``urgency.normalise`` (lower
case, no accents, common typos corrected), on whole words.
"""

import re
from dataclasses import dataclass

from bot.services.urgency import normalise

REGIE = "la Régie de Quartier"
LANDLORD = "le bailleur"


@dataclass(frozen=True)
class Category:
    """A kind of problem: its label, who usually handles it and how fast it needs handling.

    ``words`` lists, comma-separated, what residents write for it (no accents).
    """

    key: str
    label: str
    handled_by: str
    urgency: str
    words: str = ""


# Order matters: the first category whose words appear wins, so the specific
# ones come first ("des rats dans le local poubelle" is about pests).
CATEGORIES = (
    Category(
        "leak", "Fuite d'eau dans les parties communes", LANDLORD, "urgente",
        "fuite, fuit, inondation, inonde, inondee, degat des eaux, eau coule, coule du plafond",
    ),
    Category(
        "heating", "Chauffage collectif ou eau chaude", LANDLORD, "urgente",
        "chauffage, chaudiere, chaufferie, radiateur, radiateurs, eau chaude",
    ),
    Category("lift", "Ascenseur", LANDLORD, "rapide", "ascenseur, ascenseurs, ascenceur, asenseur"),
    Category(
        "pests", "Nuisibles (cafards, rats, punaises…)", LANDLORD, "rapide",
        "cafard, cafards, blatte, blattes, rat, rats, souris, punaise, punaises, puce, puces, nuisible, "
        "nuisibles, guepes, frelons, pigeons",
    ),
    Category(
        "bulky", "Encombrants", REGIE, "normale",
        "encombrant, encombrants, matelas, canape, meuble, meubles, depot sauvage, frigo abandonne, "
        "electromenager, sommier, gravats",
    ),
    Category(
        "bins", "Local poubelles et déchets", REGIE, "normale",
        "poubelle, poubelles, conteneur, conteneurs, bac, bacs, ordures, ramasse, ramassees, collecte, "
        "deborde, debordent, sacs poubelle, dechets",
    ),
    Category(
        "lighting", "Éclairage des parties communes", LANDLORD, "rapide",
        "lumiere, lumieres, eclairage, ampoule, ampoules, neon, minuterie, lampe, dans le noir",
    ),
    Category(
        "graffiti", "Tags et dégradations", f"{REGIE} (nettoyage) ou {LANDLORD} (réparation)", "normale",
        "tag, tags, graffiti, graffitis, degradation, degradations, degrade, vandalisme, vitre, vitres, "
        "boite aux lettres, boites aux lettres",
    ),
    Category(
        "doors", "Portes, serrures, interphone", LANDLORD, "rapide",
        "porte, portes, serrure, interphone, digicode, badge, portail, verrou, ferme plus",
    ),
    Category(
        "green_spaces", "Espaces verts", REGIE, "normale",
        "pelouse, pelouses, gazon, tonte, tondu, tondues, haie, haies, arbre, arbres, branche, branches, "
        "espaces verts, espace vert, massif, herbe",
    ),
    Category(
        "cleanliness", "Propreté des parties communes", REGIE, "normale",
        "sale, sales, salete, degueulasse, crade, nettoye, nettoyage, menage, urine, pipi, vomi, crotte, "
        "crottes, excrements, seringue, seringues, poussiere",
    ),
    # Never read from a message, only chosen.
    Category("other", "Autre problème", REGIE, "normale"),
)  # fmt: skip
BY_KEY = {category.key: category for category in CATEGORIES}

# Spots of a residence a first message often names; the form then asks only the building.
SPOTS = (
    "local poubelle, local poubelles, local velo, local velos, cage d escalier, hall, entree, escalier, palier, "
    "couloir, cave, caves, sous sol, parking, garage, cour, aire de jeux, jardin, toit, terrasse, ascenseur"
)


def _pattern(words: str) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(re.escape(word.strip()) for word in words.split(",")) + r")\b")


_CATEGORY_PATTERNS = [(category, _pattern(category.words)) for category in CATEGORIES if category.words]
_SPOT_PATTERN = _pattern(SPOTS)


# Words that say something is wrong, not asked about: "en panne", "y a des cafards partout".
PROBLEM_WORDS = re.compile(
    r"\b(panne|en rade|hs|hors service|casse|cassee|casses|cassees|ne marche (plus|pas)|marche (plus|pas)|"
    r"fonctionne (plus|pas)|bloque|bloquee|coince|coincee|infeste|infestee|partout|envahi|envahie|deborde|"
    r"debordent|traine|trainent|abandonne|abandonnes|degrade|degradee|tague|tagues|fuit|fuite|inonde|inondee|"
    r"dans le noir|grille|grillee|grillees|arrache|arrachee|force|forcee|ferme plus|ouvre plus|s allume plus|"
    r"y a des|il y a des|j ai des|on a des|plein de|entasse|entassent|accumule|accumulent|s empile|s empilent|"
    r"pas ete \w+|jamais \w+|depuis (des|plusieurs|\d+) (jours|semaines|mois))\b"
)
# How a question is asked: such a message is for the knowledge base, even when it names a problem.
QUESTION_WORDS = re.compile(
    r"\?|\b(comment|pourquoi|combien|cmb|quoi faire|que faire|je fais (quoi|koi)|on fait|faut il|est ce que|"
    r"c est quoi|qui appeler|on appelle qui|j appelle qui|a qui|quand|ou est|ou sont|c quoi|koi)\b"
)
QUESTION_START = re.compile(r"(comment|pourquoi|combien|est ce que|c est quoi|que faire|qu est ce)\b")
# Categories the knowledge base answers first: a heating breakdown has its own entry (who to call, meanwhile).
ANSWERED_FIRST = frozenset({"heating"})
# Categories whose words alone say something is wrong: nobody mentions rats or a leak in passing.
PROBLEMS_BY_NATURE = frozenset({"pests", "leak", "graffiti"})


def problem_described(text: str) -> Category | None:
    """The category of a problem ``text`` describes as a statement ("y a des cafards partout"), not as a question."""
    category = category_in(text)
    if category is None or category.key in ANSWERED_FIRST:
        return None
    plain = normalise(text)
    # "j'ai des punaises, je sais plus quoi faire" is a problem said in despair, not a question.
    if category.key in PROBLEMS_BY_NATURE:
        return None if "?" in text or QUESTION_START.match(plain) else category
    if QUESTION_WORDS.search(text.lower()) or QUESTION_WORDS.search(plain):
        return None
    return category if PROBLEM_WORDS.search(plain) else None


def category_in(text: str) -> Category | None:
    """The category ``text`` names, or None when it names none."""
    plain = normalise(text)
    return next((category for category, pattern in _CATEGORY_PATTERNS if pattern.search(plain)), None)


def spot_in(text: str) -> str | None:
    """The spot of the residence ``text`` names ("local poubelle"), as written without accents."""
    match = _SPOT_PATTERN.search(normalise(text))
    return None if match is None else match.group(1).replace("cage d escalier", "cage d'escalier")


def label(key: str) -> str:
    """The category's French label ("Autre problème" for an unknown key)."""
    return BY_KEY.get(key, BY_KEY["other"]).label
