"""The refusals every API route can answer with, documented once for the OpenAPI schema.

The bodies are the ones app/api/errors.py and FastAPI write: `{"detail": "..."}`, or for a 422
a list of field errors. A 409 for an edit on an old version also carries the current object.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Message(BaseModel):
    """Why the request was refused, in Dutch."""

    detail: str


class Conflict(BaseModel):
    """A clash with another change; for an action edited on an old version, the body also holds
    the action as it is now (its fields and `current`)."""

    model_config = ConfigDict(extra="allow")
    detail: str


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class FieldErrors(BaseModel):
    detail: list[FieldError]


def _retry_after() -> dict[str, Any]:
    return {
        "Retry-After": {
            "description": "Seconden tot een nieuwe poging zin heeft.",
            "schema": {"type": "string"},
        }
    }


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": Message, "description": "De body is geen leesbare tekst (geen UTF-8)."},
    401: {
        "model": Message,
        "description": "Niet ingelogd: geen of een ongeldig token of sessie.",
        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}},
    },
    403: {
        "model": Message,
        "description": "Dit mag deze gebruiker niet (of de CSRF-token ontbreekt).",
    },
    404: {"model": Message, "description": "Bestaat niet (meer)."},
    409: {"model": Conflict, "description": "Botst met een andere wijziging."},
    422: {"model": FieldErrors, "description": "Invoer klopt niet, per veld uitgelegd."},
    503: {
        "model": Message,
        "description": "De database is even te druk; probeer het na Retry-After opnieuw.",
        "headers": _retry_after(),
    },
}
