"""The demo landlord's site of `make run`: its pages, their strict CSP, and when it runs."""

import httpx

from bot.cli import processes
from bot.demo_site import create_demo_site
from bot.settings import Settings


async def test_each_page_embeds_the_widget_in_one_line_under_a_strict_policy():
    settings = Settings(web_port=8123)
    transport = httpx.ASGITransport(app=create_demo_site(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8001") as client:
        home, other = await client.get("/"), await client.get("/vie-de-quartier")

    tag = '<script src="http://127.0.0.1:8123/widget.js" data-tenant="demo" async></script>'
    assert tag in home.text and tag in other.text
    policy = home.headers["content-security-policy"]
    assert "script-src http://127.0.0.1:8123;" in policy and "connect-src http://127.0.0.1:8123;" in policy
    assert "style-src 'self';" in policy and "unsafe" not in policy


def test_the_demo_site_runs_in_development_only(capsys):
    processes(Settings(environment="production", session_secret="s" * 40))

    assert "demo-site" not in capsys.readouterr().out
