"""Another language gets a short answer in it, without Rasa; French, however written, never does."""

import uuid

import pytest

from bot.faq.entries import load_entries
from bot.faq.training_data import nlu_examples, no_answer_examples
from bot.models import Mode
from bot.router import Incoming
from bot.services import languages
from bot.settings import PROJECT_ROOT
from tests.transcript import messages_of
from tests.unit.stub_rasa import router_answering

# How residents write to the assistant: SMS style, franglais, fragments, names, addresses, references.
# The thresholds of bot/services/languages.py were set so that none of these is flagged.
FRENCH = [
    "jveu 1 rdv stp",
    "c koi le bioseau",
    "ok",
    "merci",
    "bonjour",
    "oui",
    "stp",
    "hello",
    "hello bro",
    "thank you",
    "mon wifi bug",
    "le check-in",
    "c'est ok",
    "DEM-JQNT9G 06 12 34 56 78",
    "RDV-K7M2PQ",
    "annuler RDV-K7M2PQ 06 12 34 56 78",
    "Awa Diallo",
    "Je m'appelle John Smith",
    "mon nom c'est Mary-Jane Watson",
    "Résidence Les Tilleuls, bât. B, 3e étage",
    "12 rue Pasteur 93200 Saint-Denis",
    "Bat I escalier 2 porte 14",
    "Appartement 4B, The Residence, Cité des Fleurs",
    "+33 6 12 34 56 78",
    "hello je voudrais un rendez-vous",
    "help svp ma facture est trop chère",
    "help help help",
    "mon fils a installé une app sur mon phone mais ça bug",
    "j'ai un souci avec my account sur le site",
    "le site is down depuis ce matin",
    "c'est quoi le best way pour économiser de l'énergie",
    "je bois du the le soir, ça consomme la bouilloire ?",
    "un the a la menthe ca consomme combien",
    "ce we je suis pas là, on peut faire mardi ?",
    "je veux faire un don à la régie",
    "j'ai eu une facture de 300 euros",
    "j'ai mal au dos je peux pas descendre les poubelles",
    "yo ça va, c'est pour un rdv",
    "holà doucement, j'ai pas dit oui",
    "je suis las de ces cafards",
    "thank you beaucoup",
    "sorry j'avais oublié mon rendez-vous",
    "ok google c'est quoi le chèque énergie",
    "je travaille en full remote, je peux venir le soir ?",
    "le dressing est plein d'humidité",
    "top merci, have a nice day",
    "je suis in love de votre service",
    "on fait un meeting avec le bailleur ?",
    "la box internet ne marche plus",
    "je suis en stand-by pour le rdv",
    "le process pour s'inscrire c'est long",
    "c'est free ou payant ?",
    "je veux un rdv for demain",
    "on a un problème de parking",
    "mon frigo fait du bruit la nuit",
    "l'ascenseur est en panne depuis lundi",
    "y a des encombrants dans le hall",
    "comment on s'inscrit à la régie",
    "slt jcherche du taf, la regie elle recrute ?",
    "cmt on fait pr sinscrire",
    "pk ma facture elle a augmenté",
    "g pas de chauffage",
    "mdr ok merci",
    "on met quoi dans le bac a biodechets",
    "les pots de yaourt vont dans le bac marron ?",
    "j'arrive plus a payer mon loyer",
    "je voudrais parler a quelqu'un",
    "le plus tôt possible",
    "jeudi 17 à 14h",
    "ah non pardon, le rendez-vous doit être au nom de mon mari Karim Benali",
    "je n'ai pas de téléphone",
    "ça sent le gaz dans l'escalier",
    "mon compteur Linky affiche une erreur",
    "c'est un bug ou quoi",
    "jsp koi faire tkt",
    "kan est ce ke vous etes ouvert",
    "Lo que sea, je veux juste un rdv",
    "selam, j'ai besoin d'aide pour ma facture",
    "bonjour, je m'appelle فاطمة",
]
ENGLISH = [
    "hello I need help with my electricity bill",
    "Hi, do you speak English? I would like to book an appointment please.",
    "Can someone help me please",
    "I don't speak French",
    "where is the office of the Régie",
    "my heating is not working",
    "how can I pay my bill",
    "I want to talk to a mediator",
    "Is there anyone who speaks English?",
    "what are your opening hours",
    "There is water coming from the ceiling",
    "I need an appointment for my energy bills",
    "Could you help me with my rent?",
    "The lift is broken again",
    "How do I sort my food waste?",
    "I live in Résidence Le Clos du Moulin and I need help",
    "Please call me back, it is urgent",
    "Sorry, I do not understand",
    "Where can I get a compost bucket?",
    "my name is John and I need help",
    "I have a problem with my landlord",
    "When will someone answer me?",
    "Do you have an English version?",
    "Thank you for your help",
    "I need help",
    "I'd like to make an appointment",
]
OTHERS = [
    ("السلام عليكم، أحتاج مساعدة في فاتورة الكهرباء", "ar"),
    ("مرحبا", "ar"),
    ("مرحبا، أنا أسكن في Résidence Les Tilleuls", "ar"),
    ("hola, necesito ayuda con mi factura de luz por favor", "es"),
    ("¿Habla usted español? Quiero una cita", "es"),
    ("Olá, preciso de ajuda com a minha conta de luz", "pt"),
    ("Você fala português? Não falo francês", "pt"),
    ("Merhaba, elektrik faturam için yardıma ihtiyacım var", "tr"),
    ("Türkçe biliyor musunuz? Fransızca anlamıyorum", "tr"),
]


@pytest.mark.parametrize("text", FRENCH)
def test_french_however_written_is_never_another_language(text):
    assert languages.detect(text) is None


def test_there_are_enough_french_and_english_sentences_to_hold_the_thresholds():
    assert len(FRENCH) >= 60 and len(ENGLISH) >= 20


@pytest.mark.parametrize("text", ENGLISH)
def test_english_is_recognised(text):
    assert languages.detect(text) is languages.ENGLISH


@pytest.mark.parametrize(("text", "code"), OTHERS)
def test_arabic_spanish_portuguese_and_turkish_are_recognised(text, code):
    found = languages.detect(text)
    assert found is not None and found.code == code


def resident_questions() -> list[str]:
    """Every French question we know of: the knowledge base, the NLU, the held-out and development questions."""
    questions = [q for entry in load_entries() for q in entry.questions]
    for folder in ("nlu", "tests/nlu", "tests/nlu_dev"):
        for path in sorted((PROJECT_ROOT / folder).glob("*.yml")):
            questions += [text for _, text in nlu_examples(path)]
    return questions + no_answer_examples(PROJECT_ROOT / "knowledge")


def test_no_question_of_the_knowledge_base_or_the_nlu_is_taken_for_another_language():
    questions = resident_questions()

    assert len(questions) > 5000
    assert [q for q in questions if languages.detect(q) is not None] == []


@pytest.mark.parametrize("language", languages.LATIN_SCRIPT)
def test_no_foreign_word_is_one_a_french_resident_writes(language):
    assert language.words.isdisjoint(languages.FRENCH)


@pytest.mark.parametrize("language", [*languages.LATIN_SCRIPT, languages.ARABIC])
def test_each_reply_is_in_its_language_then_in_french_with_the_mediator_button(language):
    reply = languages.reply(language)

    assert reply.text.startswith(language.reply) and reply.text.endswith(languages.IN_FRENCH)
    assert [(b.title, b.payload) for b in reply.buttons] == [("Parler à un médiateur", "/request_human")]


async def test_a_message_in_english_gets_the_english_reply_without_rasa_and_is_kept(settings):
    calls: list = []
    sender = uuid.uuid4().hex
    chat = router_answering(settings, [{"text": "Bonjour !"}], calls)

    outcome = await chat.handle(Incoming(channel="web", tenant="demo", sender_id=sender, text="I need help please"))

    assert calls == [] and outcome.mode is Mode.BOT
    assert outcome.replies[0].text.startswith(languages.ENGLISH.reply)
    assert messages_of(settings, sender)[:2] == [
        ("resident", "I need help please", None),
        ("bot", outcome.replies[0].text, None),
    ]


async def test_the_mediator_button_of_the_reply_reaches_the_bot(settings):
    calls: list = []
    sender = uuid.uuid4().hex
    chat = router_answering(settings, [{"text": "Je transmets…"}], calls)
    await chat.handle(Incoming(channel="web", tenant="demo", sender_id=sender, text="مرحبا"))

    await chat.handle(Incoming(channel="web", tenant="demo", sender_id=sender, payload="/request_human"))

    assert [call["message"] for call in calls] == ["/request_human"]


async def test_a_message_in_french_goes_to_rasa(settings):
    calls: list = []
    chat = router_answering(settings, [{"text": "Bonjour !"}], calls)

    await chat.handle(Incoming(channel="web", tenant="demo", sender_id=uuid.uuid4().hex, text="mon wifi bug"))

    assert [call["message"] for call in calls] == ["mon wifi bug"]
