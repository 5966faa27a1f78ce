"""Régie Assistant: the web app, channels, router and services."""
