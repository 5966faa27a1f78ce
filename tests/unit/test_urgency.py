"""Urgent situations spotted in residents' own words, typos included; questions about rules are not urgent."""

import pytest

from bot.faq.evaluation import HOLDOUT_DIR, questions
from bot.services.urgency import detect, emergency_numbers, normalise


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ça sent le gaz dans la cuisine", "gas"),
        ("sa sent le gaz dans l'escalier", "gas"),
        ("Il y a une FUITE DE GAZ !!", "gas"),
        ("odeur de gaz chez moi", "gas"),
        ("je crois que le gaz fuit", "gas"),
        ("il y a un incendie au 2e", "fire"),
        ("au feu !!", "fire"),
        ("insendie dans la cave", "fire"),
        ("de la fumée noire sort du local poubelle", "fire"),
        ("mon mari me frappe", "violence"),
        ("il m'a frappée hier soir", "violence"),
        ("mon voisin m'a menacé avec un couteau", "violence"),
        ("je subis des violences", "violence"),
        ("des violance dans l'immeuble", "violence"),
        ("il va me tuer", "violence"),
        ("je veux mourir", "suicide"),
        ("jai envie d'en finir", "suicide"),
        ("je pense au suicide", "suicide"),
        ("j'ai plus envie de vivre", "suicide"),
        ("ma mère a fait un malaise", "medical"),
        ("mon voisin est blessé dans l'escalier", "medical"),
        ("il y a des fils électriques dénudés dans le hall", "electric"),
        ("la prise fume", "electric"),
        ("il y a de la fumée dans la cave", "fire"),
        ("on m'a coupé l'électricité", "energy_cut"),
        ("ils m'ont coupé le courant ce matin", "energy_cut"),
        ("EDF a coupé le gaz", "energy_cut"),
        ("mon electricite est coupee depuis hier", "energy_cut"),
        ("j'ai plus d'électricité", "energy_cut"),
        ("jai pu de courant", "energy_cut"),
        ("on a plus d'eau chaude depuis 3 jours", "energy_cut"),
        ("y a plus de lumière dans l'appart", "energy_cut"),
        ("plus d'electrisite chez moi", "energy_cut"),
        ("compteur linky coupé", "energy_cut"),
        ("le chauffage est en panne", "heating_cut"),
        ("chofage en panne depuis lundi", "heating_cut"),
        ("le chaufage ne marche plus", "heating_cut"),
        ("les radiateurs sont glacés", "heating_cut"),
        ("aucun radiateur ne chauffe", "heating_cut"),
        ("la chaudiere est hs", "heating_cut"),
        ("sans chauffage avec un bébé", "energy_cut"),
        ("j'ai reçu un avis d'expulsion", "eviction"),
        ("l'huissier vient demain", "eviction"),
        ("l'huissié est passé", "eviction"),
        ("on va me mettre dehors", "eviction"),
        ("le bailleur veut m'expulser", "eviction"),
        ("je vais être à la rue", "eviction"),
        ("je suis en détresse", "distress"),
        ("je n'en peux plus", "distress"),
        ("jsuis desesperee", "distress"),
    ],
)
def test_an_urgent_situation_is_recognised_in_everyday_spelling(text, kind):
    urgency = detect(text)

    assert urgency is not None, text
    assert kind in urgency.kinds


@pytest.mark.parametrize(
    "text",
    [
        "bonjour",
        "à combien régler le chauffage ?",
        "comment baisser ma facture d'électricité",
        "le frigo consomme plus d'électricité que le four ?",
        "un bain consomme deux fois plus d'eau chaude qu'une douche ?",
        "est-ce qu'on peut me couper l'électricité en hiver ?",
        "ils ont le droit de couper le gaz en février ?",
        "la trêve hivernale c'est quand",
        "je peux pas payer ma facture d electricite",
        "adresse de la regie",
        "mauvaise odeur poubelle marron",
        "il faut du silence la nuit dans l'immeuble",
        "je mets le couteau à pain où ?",
        "c'est quoi le chèque énergie",
        "feu vert pour le compost ?",
        "je suis blessé par ses propos",
        "la fumée de cigarette du voisin",
        "rdv pour ma facture de gaz qui a explosé",
        "Résidence du Parc, entre les bât. A et B",
        "plus de lumière dans l'escalier depuis hier",
    ],
)
def test_a_question_about_rules_or_an_ordinary_message_is_not_urgent(text):
    assert detect(text) is None


def test_no_held_out_faq_question_is_taken_for_a_danger():
    dangers = [text for text, _ in questions(HOLDOUT_DIR) if (u := detect(text)) and u.danger]

    assert dangers == []


@pytest.mark.parametrize(
    ("text", "danger"),
    [
        ("odeur de gaz", True),
        ("mon voisin me frappe", True),
        ("des étincelles dans le tableau électrique", True),
        ("je suis en détresse", True),
        ("plus de chauffage", False),
        ("huissier", False),
    ],
)
def test_only_a_danger_gets_the_emergency_numbers_first(text, danger):
    assert detect(text).danger is danger


def test_the_numbers_for_gas_include_the_gas_emergency_line_after_112():
    numbers = emergency_numbers(detect("ça sent le gaz"))

    assert numbers.index("112") < numbers.index("0 800 47 33 33")
    assert "18" in numbers and "15" in numbers and "17" in numbers


def test_the_numbers_for_suicidal_thoughts_include_3114():
    assert "3114" in emergency_numbers(detect("je veux me suicider"))


def test_normalise_strips_accents_punctuation_and_fixes_key_typos():
    assert normalise("Électrisité coupée !!!") == "electricite coupee"
