"""What the Telegram gateway says by itself, without the dialogue engine (French, "vous")."""

from telegram import BotCommand

# The bot's command menu, shown by Telegram when the resident types "/".
COMMAND_MENU = (
    BotCommand("start", "Recommencer, avec le menu"),
    BotCommand("aide", "Ce que je peux faire pour vous"),
    BotCommand("mediateur", "Parler à un médiateur de la Régie"),
    BotCommand("rdv", "Prendre rendez-vous avec un médiateur"),
    BotCommand("signaler", "Signaler un problème dans votre résidence"),
    BotCommand("demandes", "Suivre vos signalements"),
    BotCommand("mesdonnees", "Voir les données que la Régie garde sur vous"),
    BotCommand("oubli", "Effacer vos données"),
)

HELP = "Je comprends les messages écrits et ces commandes :\n" + "\n".join(
    f"/{command.command} : {command.description}" for command in COMMAND_MENU
)

EXPIRED_BUTTON = "Ce bouton n'est plus valable. Écrivez-moi votre question, ou tapez /aide pour retrouver le menu."

UNKNOWN_TENANT = (
    "Ce lien ne correspond à aucun partenaire que je connais, "
    "mais je peux quand même vous répondre au nom de la Régie de Quartier."
)

REFUSED = "Je ne peux pas traiter ce message. Écrivez-moi votre question en quelques mots, ou tapez /aide."

MY_DATA_NONE = "Je n'ai aucune donnée sur vous : vous ne m'avez encore rien écrit."
MY_DATA_FILE = "Toutes vos données, dans un fichier (format JSON). Pour les effacer : /oubli."

VOICE = (
    "Je ne peux pas écouter les messages vocaux. "
    "Écrivez-moi votre question en quelques mots, je vous réponds tout de suite."
)

PHOTO = (
    "Merci pour la photo. Je ne la prends que pendant un signalement, quand je vous la demande : "
    "tapez /signaler pour signaler un problème."
)

PHOTO_TOO_LARGE = "Cette photo est trop lourde (5 Mo au plus). Envoyez-en une plus légère, ou touchez « Pas de photo »."

PHOTO_WRONG_TYPE = (
    "Je n'accepte que les photos JPEG, PNG ou WebP. Envoyez une autre photo, ou touchez « Pas de photo »."
)

NOT_TEXT = (
    "Je ne comprends que les messages écrits. "
    "Écrivez-moi votre question en quelques mots, ou tapez /aide pour voir le menu."
)
