"""Dates and times written freely in French become a wish matched to slots."""

from datetime import date, time

import pytest

from bot.services.when import parse_when

# A Thursday.
TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("demain", date(2026, 11, 27), date(2026, 11, 27)),
        ("apres-demain", date(2026, 11, 28), date(2026, 11, 28)),
        ("après demain matin", date(2026, 11, 28), date(2026, 11, 28)),
        ("mardi prochain", date(2026, 12, 1), date(2026, 12, 1)),
        ("jeudi prochain", date(2026, 12, 3), date(2026, 12, 3)),
        ("jeudi 17 à 14h", date(2026, 12, 17), date(2026, 12, 17)),
        ("mercredi 9 à 9h30", date(2026, 12, 9), date(2026, 12, 9)),
        ("le 28", date(2026, 11, 28), date(2026, 11, 28)),
        ("le 15 a 10h", date(2026, 12, 15), date(2026, 12, 15)),
        # The day's number wins over a weekday that does not fit it.
        ("lundi 17", date(2026, 12, 17), date(2026, 12, 17)),
        ("vendredi de la semaine prochaine", date(2026, 12, 4), date(2026, 12, 4)),
        ("le 3 décembre vers 14h", date(2026, 12, 3), date(2026, 12, 3)),
        ("le 1er dec", date(2026, 12, 1), date(2026, 12, 1)),
        ("03/12 à 10h30", date(2026, 12, 3), date(2026, 12, 3)),
        ("le 5 janvier", date(2027, 1, 5), date(2027, 1, 5)),
        ("dans 3 jours", date(2026, 11, 29), date(2026, 11, 29)),
        ("la semaine prochaine", date(2026, 11, 30), date(2026, 12, 6)),
        ("cette semaine", date(2026, 11, 26), date(2026, 11, 29)),
    ],
)
def test_days_are_understood(text: str, first: date, last: date) -> None:
    wish = parse_when(text, TODAY)
    assert (wish.first_day, wish.last_day) == (first, last)
    assert not wish.in_the_past


@pytest.mark.parametrize(("text", "weekday"), [("Mardi", 1), ("jeudi aprem", 3), ("plutot un vendredi vers 10h", 4)])
def test_a_weekday_alone_means_any_such_day(text: str, weekday: int) -> None:
    wish = parse_when(text, TODAY)
    assert (wish.weekday, wish.first_day) == (weekday, None)
    assert wish.understood


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("plutôt le matin", time(0, 0), time(12, 0)),
        ("demain apres midi", time(12, 0), time(18, 0)),
        ("mercredi aprem", time(12, 0), time(18, 0)),
        ("en fin de journée", time(17, 0), time(23, 59)),
        ("à partir de 15h", time(15, 0), None),
        ("avant 11h", None, time(11, 0)),
    ],
)
def test_parts_of_the_day_are_understood(text: str, earliest: time | None, latest: time | None) -> None:
    wish = parse_when(text, TODAY)
    assert (wish.earliest, wish.latest) == (earliest, latest)


@pytest.mark.parametrize(
    ("text", "around"), [("vers 14h", time(14)), ("14 h 30", time(14, 30)), ("à 9:15", time(9, 15))]
)
def test_a_time_is_understood(text: str, around: time) -> None:
    assert parse_when(text, TODAY).around == around


@pytest.mark.parametrize("text", ["hier", "avant-hier", "le 20 novembre", "20/11"])
def test_a_past_date_is_flagged(text: str) -> None:
    assert parse_when(text, TODAY).in_the_past


@pytest.mark.parametrize("text", ["Jean Dupont", "c'est quoi le bioseau", "le 31 février", "25h", "le 2eme"])
def test_text_without_a_usable_date_is_not_understood(text: str) -> None:
    assert not parse_when(text, TODAY).understood
