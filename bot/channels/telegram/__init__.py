"""The Telegram gateway (python-telegram-bot): polling worker or webhook, both through the router.

``app`` builds the PTB application, ``handlers`` turn updates into router calls,
``rendering`` turns replies into Telegram messages, ``delivery`` sends them (and
the outbox) through Telegram's errors and rate limits, ``webhook`` serves the web app.
"""

# The router's channel name for Telegram conversations (the chat id is the sender).
CHANNEL = "telegram"
