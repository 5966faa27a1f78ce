"""Custom actions: thin adapters from the dialogue to ``bot.services``."""
