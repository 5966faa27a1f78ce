"""The embeddable widget: its script (``/widget.js``) and each tenant's look (``/api/widget/{tenant}``)."""

import gzip
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from bot.api.access import tenant_for
from bot.api.chat import TENANT_SLUG_PATTERN
from bot.services import widget

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
SCRIPT = STATIC_DIR / "widget.js"
# Short: a fixed widget reaches every landlord's page within minutes.
SCRIPT_HEADERS = {
    "Cache-Control": "public, max-age=300",
    # Pages that isolate themselves (Cross-Origin-Embedder-Policy) may still load it.
    "Cross-Origin-Resource-Policy": "cross-origin",
    "X-Content-Type-Options": "nosniff",
    "Vary": "Accept-Encoding",
}

router = APIRouter()


@lru_cache(maxsize=1)
def _script(_modified_ns: int) -> tuple[bytes, bytes]:
    """The script, plain and gzipped, read again only when the file changes."""
    plain = SCRIPT.read_bytes()
    return plain, gzip.compress(plain, compresslevel=9)


@router.get("/widget.js", include_in_schema=False)
async def widget_script(request: Request) -> Response:
    """The widget, gzipped when the browser accepts it."""
    plain, packed = _script(SCRIPT.stat().st_mtime_ns)
    headers = dict(SCRIPT_HEADERS)
    body = plain
    if "gzip" in request.headers.get("accept-encoding", ""):
        body, headers["Content-Encoding"] = packed, "gzip"
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


@router.get("/api/widget/{tenant}")
async def widget_look(
    request: Request, tenant: Annotated[str, PathParam(min_length=1, max_length=64, pattern=TENANT_SLUG_PATTERN)]
) -> dict[str, str | None]:
    """The tenant's name, colours, logo and welcome, for a page the tenant allows."""
    found = await tenant_for(request, tenant)
    return asdict(widget.look_of(found))
