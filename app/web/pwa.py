"""The installable app: its service worker at /sw.js, from the root so its scope is the whole app.

The worker's source is static/sw.js (what it keeps offline and why is written there); the page
side is static/js/offline.js, the manifest static/manifest.webmanifest, and
templates/layout/pwa.html links them from every page. The worker is served here, not from
/static, because a worker controls only the paths below its own URL (or what
`Service-Worker-Allowed` allows): from /sw.js that is every page. `no-cache` makes the browser
ask for it at every check, so a new version takes over at the next visit; the worker script is
the same for everyone and holds no data, so it needs no login.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter
from starlette.responses import Response

router = APIRouter()

SERVICE_WORKER = Path(__file__).resolve().parents[2] / "static" / "sw.js"
SERVICE_WORKER_HEADERS = {"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"}


@cache
def _service_worker_source() -> bytes:
    return SERVICE_WORKER.read_bytes()


@router.get("/sw.js")
def service_worker() -> Response:
    return Response(
        _service_worker_source(),
        media_type="text/javascript; charset=utf-8",
        headers=SERVICE_WORKER_HEADERS,
    )
