"""One table of refusals: a service's error (or FastAPI's own) → its status, as JSON for the API
and as a Dutch page elsewhere. The page itself is drawn by the renderer the app passes in, so
this module imports neither app.api nor app.web."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from app.models import Action, ActionPublic
from app.services.errors import Forbidden, Invalid, NotFound, StaleVersion
from app.services.org import TeamNotEmpty
from app.translatable import N_

# lock_not_available, deadlock_detected, serialization_failure
LOCK_SQLSTATES = {"55P03", "40P01", "40001"}


def field_errors(errors: dict[str, str]) -> list[dict[str, Any]]:
    """Service messages in the same shape FastAPI uses for its own 422s."""
    return [
        {"loc": ["body", field], "msg": message, "type": "value_error"}
        for field, message in errors.items()
    ]


class EscapedJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped, so text a client sent can always be echoed."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, allow_nan=False, separators=(",", ":")).encode("ascii")


def validation_error(exc: RequestValidationError) -> JSONResponse:
    """FastAPI's own 422, but a lone surrogate in the echoed input cannot turn it into a 500."""
    return EscapedJSONResponse(
        {"detail": jsonable_encoder(exc.errors())},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


def _current(obj: Any) -> dict[str, Any]:
    if isinstance(obj, Action):
        return jsonable_encoder(ActionPublic.model_validate(obj))
    return jsonable_encoder(obj)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


PageError = Callable[[Request, int, str], Response]
"""Draws the error page: request, status, message ("" for the status's own message)."""


def install(app: FastAPI, *, page_error: PageError) -> None:
    html_error = page_error

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        if not is_api(request):
            return html_error(request, 404, N_("Wat je zoekt bestaat niet (meer)."))
        return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_404_NOT_FOUND)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        if not is_api(request):
            return html_error(request, 403, exc.message)
        return JSONResponse({"detail": exc.message}, status_code=status.HTTP_403_FORBIDDEN)

    @app.exception_handler(Invalid)
    async def _invalid(request: Request, exc: Invalid) -> Response:
        if not is_api(request):
            return html_error(request, 422, " ".join(exc.errors.values()))
        return JSONResponse(
            {"detail": field_errors(exc.errors)},
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )

    @app.exception_handler(StaleVersion)
    async def _stale(_: Request, exc: StaleVersion) -> JSONResponse:
        # The body is the current object (plus a message), so a client can show or merge it.
        body = _current(exc.current)
        body["detail"] = "Deze actie is intussen gewijzigd. Bekijk de nieuwe versie."
        body["current"] = _current(exc.current)
        return JSONResponse(body, status_code=status.HTTP_409_CONFLICT)

    @app.exception_handler(TeamNotEmpty)
    async def _team_not_empty(request: Request, exc: TeamNotEmpty) -> Response:
        if not is_api(request):
            return html_error(request, 409, str(exc))
        return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_409_CONFLICT)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> Response:
        # Two requests raced past the same check (say, one e-mail address twice).
        if not is_api(request):
            return html_error(request, 409, N_("Dit botst met een andere wijziging."))
        return JSONResponse(
            {"detail": "Dit botst met een andere wijziging. Probeer het opnieuw."},
            status_code=status.HTTP_409_CONFLICT,
        )

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> Response:
        # Waited too long for the write lock (SQLite's busy timeout; on PostgreSQL a lock
        # timeout, deadlock or serialization failure): try again soon, on pages too.
        message = str(exc.orig).lower()
        busy = "locked" in message or "busy" in message
        if busy or getattr(exc.orig, "sqlstate", None) in LOCK_SQLSTATES:
            headers = {"Retry-After": "1"}
            if not is_api(request):
                page = html_error(request, 503, N_("Het is even te druk. Probeer het zo opnieuw."))
                page.headers.update(headers)
                return page
            return JSONResponse(
                {"detail": "Het is even te druk. Probeer het zo opnieuw."},
                status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers=headers,
            )
        raise exc

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if is_api(request) or exc.status_code < 400:
            return await http_exception_handler(request, exc)
        return html_error(request, exc.status_code, "")

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if is_api(request):
            return validation_error(exc)
        return html_error(request, 422, "")
