"""The Requests page's filters, read from the query's text without a database."""

import pytest

from bot.errors import BadFilter
from bot.models import RequestStatus, Tenant
from bot.services.request_admin import Filters, parse_filters

TENANTS = [Tenant(id=1, slug="habitat-est", name="Habitat Est"), Tenant(id=2, slug="logis", name="Logis")]


def test_known_values_are_read_and_empty_ones_mean_all() -> None:
    filters = parse_filters(status="done", category="", tenant="logis", page=None, tenants=TENANTS)

    assert (filters.status, filters.category, filters.tenant, filters.page) == (RequestStatus.DONE, None, TENANTS[1], 1)
    assert filters.query(page=2) == {"status": "done", "tenant": "logis", "page": "2"}


def test_every_unknown_value_is_named_at_once() -> None:
    with pytest.raises(BadFilter) as refused:
        parse_filters(status="lost", category="bulky", tenant="elsewhere", page="-1", tenants=TENANTS)

    assert refused.value.status_code == 400
    assert refused.value.message.startswith("Filtre inconnu : statut, site, page")


@pytest.mark.parametrize("page", ["0", "abc", "10001", "1.5"])
def test_a_page_is_a_whole_number_from_1(page: str) -> None:
    with pytest.raises(BadFilter):
        parse_filters(status=None, category=None, tenant=None, page=page, tenants=TENANTS)


def test_no_filter_is_the_first_page_of_everything() -> None:
    assert parse_filters(status=None, category=None, tenant=None, page=None, tenants=[]) == Filters()
