"""A message written in another language than French gets a short reply in that language, not Rasa's.

The assistant understands French only: Rasa would answer an English or
Arabic message with a French "je n'ai pas bien compris", which its writer
cannot read. Instead the router answers at once, in the message's language
and in French, that the assistant speaks French and how to reach a mediator.

Detection is local and deterministic (no model, no network). Arabic is told
by its script. English, Spanish, Portuguese and Turkish are told by their
function words ("the", "my", "necesito", "você"…) over at least
``MIN_WORDS`` words: residents write French with English words ("mon wifi
bug", "le check-in", "c'est ok"), in SMS style, or give a name, an address
or a reference, and none of that may ever be taken for another language. So
a word any French resident might write ("on", "a", "me", "hello", "ok",
"help" alone) is in no foreign list, and words shared with Spanish or
Portuguese ("de", "la", "que", "en") count for no side.
``tests/unit/test_languages.py`` holds the thresholds against 60+ French and
20+ English sentences, and the whole NLU and knowledge base.
"""

import re
from dataclasses import dataclass

from bot.services.conversations import Button, Reply
from bot.services.when import plain

# Fewer words are a greeting or a fragment ("thank you", "hello bro"): French residents write those too.
MIN_WORDS = 3
# The foreign function words must be at least two different ones, at least this share of all the
# words, and at least twice the French ones. English, Spanish… sentences are 35–80 % function words;
# French sentences with English words in them have one at most (measured in the tests).
MIN_DISTINCT_HITS = 2
MIN_SHARE = 0.3
MIN_RATIO_TO_FRENCH = 2
# Arabic letters among the message's letters: an Arabic message may name a French address ("أسكن في
# Résidence Les Tilleuls": 41 %), a French one may give a name in Arabic script ("je m'appelle فاطمة": 23 %).
MIN_ARABIC_SHARE = 0.3
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

REQUEST_HUMAN = Button(title="Parler à un médiateur", payload="/request_human")
IN_FRENCH = (
    "L'assistant ne comprend que le français. Pour parler à un médiateur de la Régie, "
    "touchez « Parler à un médiateur » ou écrivez « médiateur »."
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Distinctly French words: none is a function word of the languages below ("de", "la", "que", "en",
# "un", "a", "ou", "si", "me", "no" are left out), so a Spanish sentence is not counted as French.
FRENCH = _words("""
je j tu il ils elle elles nous vous le les l une des du au aux et est c ce cet cette ces ca mon ma ton ta
sa ses notre nos votre vos leur leurs pour avec dans sur pas ne n qu qui quoi comment pourquoi quand mais
donc ai avez avons suis sont etre fait faire peux peut pouvez veux veut voudrais faut merci bonjour
bonsoir salut svp stp oui non bien tres plus moi toi lui chez quel quelle quels quelles aussi encore tout
tous toute rien alors deja jai cest jveu jveux koi pk pq pr ds bcp tt ke ki kan slt bjr cc jsp tkt chui
jsuis jpeux ya mdr dac ben bah euh depuis apres avant sans comme rdv
""")


@dataclass(frozen=True)
class Language:
    """A language the assistant recognises: its words and the reply written in it."""

    code: str
    words: frozenset[str]
    reply: str


# Only words no French resident would write: "on", "a", "an", "me", "or", "but", "if", "like", "hello",
# "hi", "yes", "no", "sorry", "thanks", "don" (un don), "we" (ce WE), "just" (juste) are left out on
# purpose ("the" stays: it is also "thé" without its accent, but it takes two different English words).
ENGLISH = Language(
    "en",
    _words("""
    the is are was were am be been my your our their i you they it this that these those what how where
    when why who which can could would should will do does did doesn didn have has had need want to with
    for of and in at from about please help speak english not there here any some get also very because
    anyone someone appointment electricity heating
    """),
    "Sorry, this assistant only understands French. To talk to a mediator of the Régie (a person), "
    "tap « Parler à un médiateur » or type « médiateur ».",
)
# Left out as French too: "con", "el" (elle), "yo", "las", "casa", "sim", "com", "eu" (j'ai eu), "dos",
# "sobre", "ve" (je ve), "bu" (j'ai bu), "ben", "var", "randevu" (rendez-vous in SMS).
SPANISH = Language(
    "es",
    _words("""
    hola necesito ayuda quiero tengo puedo puede hablar hablo habla espanol gracias favor por para los del
    una esta estoy como donde cuando pero muy usted alguien hay tambien hoy pagar buenos buenas dias
    entiendo soy cita mi luz
    """),
    "Lo siento, este asistente solo entiende francés. Para hablar con un mediador de la Régie (una persona), "
    "pulse « Parler à un médiateur » o escriba « médiateur ».",
)
PORTUGUESE = Language(
    "pt",
    _words("""
    ola obrigado obrigada preciso ajuda ajudar quero tenho posso pode falar falo fala portugues voce voces
    nao minha meu meus minhas uma estou para por favor conta luz alguem tambem hoje pagar bom dia das ao
    pelo marcar
    """),
    "Desculpe, este assistente só entende francês. Para falar com um mediador da Régie (uma pessoa), "
    "toque em « Parler à un médiateur » ou escreva « médiateur ».",
)
TURKISH = Language(
    "tr",
    _words("""
    merhaba yardim yardima ihtiyacim icin lutfen benim nasil degil istiyorum turkce fransizca konusuyor
    konusmak tesekkur ederim evet hayir elektrik faturam faturasi cok biliyor musunuz misiniz anlamiyorum
    bir
    """),
    "Üzgünüz, bu asistan yalnızca Fransızca anlıyor. Régie'den bir arabulucuyla (bir kişiyle) konuşmak için "
    "« Parler à un médiateur » düğmesine dokunun veya « médiateur » yazın.",
)
ARABIC = Language(
    "ar",
    frozenset(),
    "عذرًا، هذا المساعد الآلي لا يفهم إلا اللغة الفرنسية. للتحدث مع وسيط (شخص)، "
    "اضغط على « Parler à un médiateur » أو اكتب « médiateur ».",
)
# In this order when two languages count as many words ("por favor" is Spanish and Portuguese).
LATIN_SCRIPT = (ENGLISH, SPANISH, PORTUGUESE, TURKISH)


def detect(text: str) -> Language | None:
    """The language ``text`` is written in, when it is surely not French; None for French or unsure."""
    letters = [c for c in text if c.isalpha()]
    arabic = sum(1 for c in letters if _ARABIC_LETTER.match(c))
    if arabic >= 2 and arabic >= MIN_ARABIC_SHARE * len(letters):
        return ARABIC
    words = _WORD.findall(plain(text).replace("'", " ").replace("ı", "i"))
    if len(words) < MIN_WORDS:
        return None
    french = sum(1 for word in words if word in FRENCH)
    best = max(LATIN_SCRIPT, key=lambda language: sum(1 for word in words if word in language.words))
    hits = [word for word in words if word in best.words]
    sure = (
        len(set(hits)) >= MIN_DISTINCT_HITS
        and len(hits) >= MIN_SHARE * len(words)
        and len(hits) >= MIN_RATIO_TO_FRENCH * french
    )
    return best if sure else None


def reply(language: Language) -> Reply:
    """The short answer in ``language``, then in French, with the button that reaches a mediator."""
    return Reply(text=f"{language.reply}\n\n{IN_FRENCH}", buttons=(REQUEST_HUMAN,))
