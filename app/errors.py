"""One table of refusals: a service's error (or FastAPI's own) → its status, as JSON for the API
and as a Dutch page elsewhere. The page itself is drawn by the renderer the app passes in, and
the API's messages are put in the request's language by the translator it passes in, so this
module imports neither app.api nor app.web.

The API answers every refusal as `{"detail": "..."}`, and bad input (422) as one message per
field: `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`, also for a body that is no
JSON or no UTF-8 text."""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from app.domain.messages import Message
from app.domain.validation import BODY_UNREADABLE, request_message
from app.models import Action, ActionPublic
from app.services.errors import Forbidden, Invalid, NotFound, StaleVersion
from app.services.org import TeamNotEmpty
from app.translatable import N_

NOT_FOUND = N_("%(entity)s niet gevonden")
STALE = N_("Deze actie is intussen gewijzigd. Bekijk de nieuwe versie.")
CLASH = N_("Dit botst met een andere wijziging. Probeer het opnieuw.")
BUSY = N_("Het is even te druk. Probeer het zo opnieuw.")
STATUS_MESSAGES = {
    404: N_("Bestaat niet (meer)."),
    405: N_("Deze methode kan hier niet."),
    415: N_("Stuur de gegevens als JSON."),
}
# lock_not_available, deadlock_detected, serialization_failure
LOCK_SQLSTATES = {"55P03", "40P01", "40001"}


Translate = Callable[[Request, str], str]
"""Puts a Dutch msgid in the language the request asks for (Accept-Language)."""


def dutch(_: Request, message: str) -> str:
    return message


def say(request: Request, message: str, translate: Translate) -> str:
    """A Dutch message in the request's language; a message with values has its template
    translated first and the values (translated too when they are messages) filled in after."""
    if isinstance(message, Message):
        values = {
            name: say(request, value, translate) if isinstance(value, Message) else value
            for name, value in message.values.items()
        }
        return translate(request, message.template) % values
    return translate(request, message)


def field_errors(
    errors: dict[str, str], request: Request | None = None, translate: Translate = dutch
) -> list[dict[str, Any]]:
    """Service messages in the same shape as every other 422."""
    return [
        {
            "loc": ["body", field],
            "msg": message if request is None else say(request, message, translate),
            "type": "value_error",
        }
        for field, message in errors.items()
    ]


class EscapedJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped, so text a client sent can always be echoed."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, allow_nan=False, separators=(",", ":")).encode("ascii")


def validation_error(
    exc: RequestValidationError, request: Request, translate: Translate = dutch
) -> JSONResponse:
    """FastAPI's own 422 with a message per field in the request's language instead of
    pydantic's English; the input is not echoed (so a lone surrogate cannot make it a 500)."""
    detail = []
    for error in exc.errors():
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
        kind = str(error.get("type", "value_error"))
        message = request_message(loc, kind, error.get("ctx") or {})
        detail.append({"loc": loc, "msg": say(request, message, translate), "type": kind})
    return EscapedJSONResponse(
        {"detail": jsonable_encoder(detail)}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT
    )


def unreadable_body(request: Request, translate: Translate = dutch) -> JSONResponse:
    """A body that is no UTF-8 text (FastAPI answers 400 in English): a 422 like any other."""
    message = request_message(["body"], BODY_UNREADABLE, {})
    detail = [{"loc": ["body"], "msg": say(request, message, translate), "type": BODY_UNREADABLE}]
    return JSONResponse({"detail": detail}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


def _current(obj: Any) -> dict[str, Any]:
    if isinstance(obj, Action):
        return jsonable_encoder(ActionPublic.model_validate(obj))
    return jsonable_encoder(obj)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


PageError = Callable[[Request, int, str], Response]
"""Draws the error page: request, status, message ("" for the status's own message)."""


def install(app: FastAPI, *, page_error: PageError, translate: Translate = dutch) -> None:
    html_error = page_error

    def answer(request: Request, text: str, code: int, **kwargs: Any) -> JSONResponse:
        return JSONResponse({"detail": say(request, text, translate)}, status_code=code, **kwargs)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> Response:
        if not is_api(request):
            return html_error(request, 404, N_("Wat je zoekt bestaat niet (meer)."))
        # "Team niet gevonden": the template and the entity's name are translated apart
        text = Message(NOT_FOUND, entity=Message(exc.entity))
        return answer(request, text, status.HTTP_404_NOT_FOUND)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        if not is_api(request):
            return html_error(request, 403, exc.message)
        return answer(request, exc.message, status.HTTP_403_FORBIDDEN)

    @app.exception_handler(Invalid)
    async def _invalid(request: Request, exc: Invalid) -> Response:
        if not is_api(request):
            return html_error(request, 422, " ".join(exc.errors.values()))
        return JSONResponse(
            {"detail": field_errors(exc.errors, request, translate)},
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )

    @app.exception_handler(StaleVersion)
    async def _stale(request: Request, exc: StaleVersion) -> JSONResponse:
        # The body is the current object (plus a message), so a client can show or merge it.
        body = _current(exc.current)
        body["detail"] = say(request, STALE, translate)
        body["current"] = _current(exc.current)
        return JSONResponse(body, status_code=status.HTTP_409_CONFLICT)

    @app.exception_handler(TeamNotEmpty)
    async def _team_not_empty(request: Request, exc: TeamNotEmpty) -> Response:
        if not is_api(request):
            return html_error(request, 409, str(exc))
        return answer(request, str(exc), status.HTTP_409_CONFLICT)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> Response:
        # Two requests raced past the same check (say, one e-mail address twice).
        if not is_api(request):
            return html_error(request, 409, N_("Dit botst met een andere wijziging."))
        return answer(request, CLASH, status.HTTP_409_CONFLICT)

    def too_busy(request: Request) -> Response:
        """503 with Retry-After: the database is busy now, not broken; try again in a second."""
        headers = {"Retry-After": "1"}
        if not is_api(request):
            page = html_error(request, 503, N_("Het is even te druk. Probeer het zo opnieuw."))
            page.headers.update(headers)
            return page
        return answer(request, BUSY, status.HTTP_503_SERVICE_UNAVAILABLE, headers=headers)

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> Response:
        # Waited too long for the write lock (SQLite's busy timeout; on PostgreSQL a lock
        # timeout, deadlock or serialization failure): try again soon, on pages too.
        message = str(exc.orig).lower()
        busy = "locked" in message or "busy" in message
        if busy or getattr(exc.orig, "sqlstate", None) in LOCK_SQLSTATES:
            return too_busy(request)
        raise exc

    @app.exception_handler(PoolTimeout)
    async def _pool_timeout(request: Request, exc: PoolTimeout) -> Response:
        # every database connection of this process stayed busy for the pool's whole timeout
        # (a crowd of requests at once): the same answer as a lock that was held too long
        return too_busy(request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code < 400:
            return await http_exception_handler(request, exc)
        if is_api(request) and exc.status_code == status.HTTP_400_BAD_REQUEST:
            # FastAPI's only 400: "There was an error parsing the body" (no UTF-8 text)
            return unreadable_body(request, translate)
        if is_api(request):
            text = str(exc.detail)
            if text == HTTPStatus(exc.status_code).phrase:  # Starlette's English "Not Found"
                text = STATUS_MESSAGES.get(exc.status_code, text)
            return answer(request, text, exc.status_code, headers=exc.headers)
        return html_error(request, exc.status_code, "")

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        if is_api(request):
            return validation_error(exc, request, translate)
        return html_error(request, 422, "")
