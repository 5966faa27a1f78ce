"""Telegram settings and the processes ``make run`` starts for them."""

import pytest
from pydantic import ValidationError

from bot.cli import processes
from bot.settings import Settings

TOKEN = "123456:real-looking-token"


def test_webhook_mode_refuses_to_start_without_its_secret():
    with pytest.raises(ValidationError, match="TELEGRAM_WEBHOOK_SECRET"):
        Settings(telegram_bot_token=TOKEN, telegram_webhook_url="https://regie.example/telegram/webhook")


def test_a_settings_error_never_shows_the_token():
    with pytest.raises(ValidationError) as error:
        Settings(telegram_bot_token=TOKEN, telegram_webhook_url="https://x", telegram_webhook_secret="bad secret")

    assert TOKEN not in str(error.value)


def test_production_wants_a_long_webhook_secret():
    with pytest.raises(ValidationError, match="32"):
        Settings(
            environment="production",
            session_secret="s" * 40,
            telegram_bot_token=TOKEN,
            telegram_webhook_url="https://x",
            telegram_webhook_secret="short",
        )


def test_empty_variables_mean_unset():
    settings = Settings(telegram_bot_token="", telegram_webhook_url="", telegram_webhook_secret="")

    assert settings.telegram_bot_token is None and settings.telegram_webhook_url is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, "rasa actions web retention demo-site"),
        ({"telegram_bot_token": TOKEN}, "rasa actions web retention demo-site telegram"),
        (
            {"telegram_bot_token": TOKEN, "telegram_webhook_url": "https://x", "telegram_webhook_secret": "s3cret"},
            "rasa actions web retention demo-site",
        ),
    ],
    ids=["no token", "polling", "webhook"],
)
def test_make_run_starts_the_telegram_worker_only_when_it_polls(capsys, fields, expected):
    processes(Settings(**fields))

    assert capsys.readouterr().out.strip() == expected
