"""A landlord's site for the demo (``bot.cli serve-demo-site``): two pages embedding the widget.

It runs on its own port, so the widget is seen from another origin as on a real
landlord's site, under the strict Content-Security-Policy docs/widget.md asks a
landlord to allow. Development only.
"""

from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.settings import Settings

PAGES = {"/": "Accueil", "/vie-de-quartier": "Vie de quartier"}
SITE_CSS = """
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d1d1d; background: #f6f4ef; }
header { background: #20372f; color: #fff; padding: 1rem 1.5rem; }
header a { color: #fff; margin-right: 1rem; }
main { max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
"""


def content_security_policy(web_url: str) -> str:
    """The strict policy of the demo pages: only the web app may run scripts, be called and show images."""
    web = "{0.scheme}://{0.netloc}".format(urlsplit(web_url))
    return (
        f"default-src 'none'; script-src {web}; connect-src {web}; img-src 'self' {web}; "
        "style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
        # No HTML sink may be used on the page at all: the widget sets text only.
        "require-trusted-types-for 'script'"
    )


def create_demo_site(settings: Settings) -> Starlette:
    """The demo landlord's site, embedding the widget of the default tenant from ``settings.public_url``."""
    templates = Environment(loader=PackageLoader("bot", "templates/demo_site"), autoescape=select_autoescape())
    page = templates.get_template("page.html")
    policy = content_security_policy(settings.public_url)

    async def show(request: Request) -> HTMLResponse:
        html = page.render(
            title=PAGES[request.url.path],
            pages=PAGES,
            widget_src=f"{settings.public_url}/widget.js",
            tenant=settings.default_tenant,
        )
        return HTMLResponse(html, headers={"Content-Security-Policy": policy})

    async def css(_request: Request) -> Response:
        return Response(SITE_CSS, media_type="text/css")

    async def no_icon(_request: Request) -> Response:
        return Response(status_code=204)

    routes = [Route(path, show) for path in PAGES] + [Route("/site.css", css), Route("/favicon.ico", no_icon)]
    return Starlette(routes=routes)
