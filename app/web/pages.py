"""Pages that need no board: the start page and the accessibility statement."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.web.deps import OptionalViewerDep, ViewerDep
from app.web.templating import render

router = APIRouter()


@router.get("/")
def start(request: Request, viewer: ViewerDep) -> Response:
    return render(request, "pages/start.html", {})


@router.get("/toegankelijkheid")
def accessibility_statement(request: Request, viewer: OptionalViewerDep) -> Response:
    return render(request, "pages/accessibility.html", {})
