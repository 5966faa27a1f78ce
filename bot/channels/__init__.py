"""Channels: how residents reach the router (``telegram``; the web widget uses ``bot.api.chat``)."""
