"""Plugs the console into the web app: its routes, its static files and its error pages."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from bot.console import knowledge, live, login, pages, reports, requests, visits
from bot.console.templating import STATIC_DIR, redirect, render
from bot.errors import ConsoleError, NotSignedIn, error_body

LIVE_PREFIX = "/console/api/"


def install(app: FastAPI) -> None:
    """Add the console to ``app`` at /console."""
    for module in (login, pages, live, reports, visits, requests, knowledge):
        app.include_router(module.router, include_in_schema=False)
    app.mount("/console/static", StaticFiles(directory=STATIC_DIR), name="console-static")
    app.add_exception_handler(ConsoleError, _refused)


async def _refused(request: Request, exc: Exception) -> Response:
    """A refusal as the caller understands it: JSON for the live API, a page or the login form otherwise."""
    assert isinstance(exc, ConsoleError)
    if request.url.path.startswith(LIVE_PREFIX):
        code = type(exc).__name__.lower()
        return JSONResponse(status_code=exc.status_code, content=error_body(code, exc.message))
    if isinstance(exc, NotSignedIn):
        return redirect("/console/login")
    return render(request, "error.html", {"message": exc.message, "status": exc.status_code}, exc.status_code)
