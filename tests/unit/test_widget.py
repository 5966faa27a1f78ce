"""The widget's look and who may embed it: checks, text colour, origins."""

import itertools
import uuid

import pytest

from bot.db import transaction
from bot.models import Tenant
from bot.services import widget
from bot.services.conversations import ensure_tenant


@pytest.mark.parametrize("color", ["#0B6E4F", "#ffffff", "#000000"])
def test_a_hex_colour_is_accepted_in_lower_case(color):
    assert widget.check_color(color) == color.lower()


@pytest.mark.parametrize("color", ["red", "#fff", "#12345g", "#1234567", "#123456;} body{x:y", "", "rgb(0,0,0)"])
def test_anything_but_rrggbb_is_refused(color):
    with pytest.raises(widget.InvalidWidgetSetting):
        widget.check_color(color)


def test_every_tenant_colour_gets_a_text_colour_meeting_wcag_aa():
    steps = range(0, 256, 15)
    for red, green, blue in itertools.product(steps, steps, steps):
        background = f"#{red:02x}{green:02x}{blue:02x}"
        assert widget.contrast_ratio(background, widget.text_color_on(background)) >= 4.5, background


@pytest.mark.parametrize(
    ("background", "text"), [("#0b6e4f", "#ffffff"), ("#ffd500", "#000000"), ("#1f5f8b", "#ffffff")]
)
def test_dark_colours_get_white_text_and_light_ones_black(background, text):
    assert widget.text_color_on(background) == text


@pytest.mark.parametrize(
    "url", ["https://cdn.bailleur.fr/logo.png", "http://127.0.0.1:8000/static/demo-logo.svg", "/static/demo-logo.svg"]
)
def test_an_http_logo_or_a_path_of_the_web_app_is_accepted(url):
    assert widget.check_logo_url(url) == url


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:image/svg+xml,<svg/>", "//evil.example/x.png", "ftp://x/y.png", "https://a b"]
)
def test_other_logo_addresses_are_refused(url):
    with pytest.raises(widget.InvalidWidgetSetting):
        widget.check_logo_url(url)


@pytest.mark.parametrize(
    ("value", "origin"),
    [("https://www.bailleur.fr", "https://www.bailleur.fr"), ("HTTP://Localhost:8001", "http://localhost:8001")],
)
def test_an_exact_origin_is_accepted(value, origin):
    assert widget.check_origin(value) == origin


@pytest.mark.parametrize(
    "value",
    ["*", "https://*.bailleur.fr", "https://www.bailleur.fr/", "https://bailleur.fr/page", "null", "bailleur.fr"],
)
def test_wildcards_paths_and_bare_hosts_are_refused_as_origins(value):
    with pytest.raises(widget.InvalidWidgetSetting):
        widget.check_origin(value)


def tenant_allowing(*origins: str) -> Tenant:
    return Tenant(slug="t", name="T", welcome_message="", allowed_origins=list(origins))


def test_only_listed_origins_may_embed_a_tenant():
    tenant = tenant_allowing("https://www.bailleur.fr")

    assert widget.origin_allowed(tenant, "https://www.bailleur.fr", local_pages_allowed=False)
    assert not widget.origin_allowed(tenant, "https://bailleur.fr", local_pages_allowed=False)
    assert not widget.origin_allowed(tenant, "http://www.bailleur.fr", local_pages_allowed=False)
    assert not widget.origin_allowed(tenant, "http://localhost:3000", local_pages_allowed=False)


def test_local_pages_may_embed_when_allowed_and_only_over_http_on_this_machine():
    tenant = tenant_allowing()

    assert widget.origin_allowed(tenant, "http://localhost:3000", local_pages_allowed=True)
    assert widget.origin_allowed(tenant, "http://127.0.0.1:8001", local_pages_allowed=True)
    assert not widget.origin_allowed(tenant, "http://localhost.evil.example", local_pages_allowed=True)
    assert not widget.origin_allowed(tenant, "http://192.168.1.10:8001", local_pages_allowed=True)


def test_set_look_checks_and_stores_and_the_look_carries_the_text_colour(settings):
    with transaction(settings.database_url) as session:
        tenant = ensure_tenant(session, slug=f"t-{uuid.uuid4().hex[:8]}", name="Habitat Jaune", welcome_message="Salut")
        widget.set_look(
            session,
            tenant=tenant,
            primary_color="#FFD500",
            logo_url=None,
            allowed_origins=["https://www.habitat-jaune.fr", "HTTPS://www.habitat-jaune.fr"],
        )
        look = widget.look_of(tenant)
        with pytest.raises(widget.InvalidWidgetSetting):
            widget.set_look(session, tenant=tenant, primary_color="#000", logo_url=None, allowed_origins=[])

    assert tenant.allowed_origins == ["https://www.habitat-jaune.fr"]
    assert look == widget.WidgetLook("Habitat Jaune", "#ffd500", "#000000", None, "Salut")


def test_setup_gives_the_demo_tenant_its_look_and_the_demo_site_origins(settings):
    with transaction(settings.database_url) as session:
        demo = session.query(Tenant).filter_by(slug=settings.default_tenant).one()

    assert demo.primary_color == "#0b6e4f" and demo.logo_url == "/static/demo-logo.svg"
    assert f"http://127.0.0.1:{settings.demo_site_port}" in demo.allowed_origins
