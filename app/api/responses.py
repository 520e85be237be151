"""The refusals of the API, documented per operation for the OpenAPI schema.

Each route lists only what it can answer: `errors(404, 422)` adds those to the 401 every
operation can give (no token or session). The bodies are the ones app/errors.py writes:
`{"detail": "..."}`, or for a 422 one message per field. A 409 for an action edited on an old
version carries the action as it is now (`ActionConflict`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.models import ActionPublic


class Message(BaseModel):
    """Why the request was refused, in Dutch (English with `Accept-Language: en`)."""

    detail: str


class ActionConflict(ActionPublic):
    """The action was changed since the version sent: its fields as they are now, a message,
    and the same action again under `current`."""

    detail: str
    current: ActionPublic


class FieldError(BaseModel):
    """One problem with one part of the request."""

    loc: list[str | int]
    """Where: `body`, `query`, `path` or `header`, then the field name (and index)."""
    msg: str
    """What to do about it, in Dutch (English with `Accept-Language: en`)."""
    type: str
    """Which check failed, for programs: `missing`, `string_too_long`, `json_invalid`, …"""


class FieldErrors(BaseModel):
    """The request could not be used: one message per field (the shape of every 422)."""

    detail: list[FieldError]


def _retry_after() -> dict[str, Any]:
    return {
        "Retry-After": {
            "description": "Seconden tot een nieuwe poging zin heeft.",
            "schema": {"type": "string"},
        }
    }


RESPONSES: dict[int, dict[str, Any]] = {
    401: {
        "model": Message,
        "description": "Niet ingelogd: geen of een ongeldig token of sessie.",
        "headers": {
            "WWW-Authenticate": {"description": "Altijd `Bearer`.", "schema": {"type": "string"}}
        },
    },
    403: {
        "model": Message,
        "description": "Dit mag deze gebruiker niet (of de CSRF-token van de sessie ontbreekt).",
    },
    404: {"model": Message, "description": "Bestaat niet (meer)."},
    409: {
        "model": Message,
        "description": "Botst met een andere wijziging die net eerder werd opgeslagen.",
    },
    422: {"model": FieldErrors, "description": "Invoer klopt niet, per veld uitgelegd."},
    503: {
        "model": Message,
        "description": "De database is even te druk; probeer het na Retry-After opnieuw.",
        "headers": _retry_after(),
    },
}
STALE_ACTION: dict[str, Any] = {
    "model": ActionConflict,
    "description": "De `version` is niet meer de huidige: de body is de actie zoals die nu is.",
}


def errors(*codes: int, conflict: dict[str, Any] | None = None) -> dict[int | str, Any]:
    """The error answers of one operation: 401, plus each code given (409 as `conflict` when
    its body is not a plain message)."""
    chosen: dict[int | str, Any] = {401: RESPONSES[401]}
    for code in sorted(codes):
        chosen[code] = conflict if code == 409 and conflict is not None else RESPONSES[code]
    return chosen


# The usual combinations.
READ = errors(422)  # a list: paging and filters in the query
READ_ONE = errors(404, 422)  # one thing by its id in the path
CREATE = errors(403, 409, 422, 503)
CHANGE = errors(403, 404, 409, 422, 503)
