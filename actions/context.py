"""What every action needs: the settings, read once per process on first use."""

from functools import lru_cache

from bot.settings import Settings


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The action server's settings (the same environment as the web app's)."""
    return Settings()
