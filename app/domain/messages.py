"""A message with values: Dutch text for the API and the command line, translatable on pages."""

from __future__ import annotations

from typing import Any


class Message(str):
    """Reads as the Dutch text with its values filled in; keeps the N_ template and the values,
    so a page translates the template first and fills in the values after."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Message:
        message = super().__new__(cls, template % values)
        message.template = template
        message.values = values
        return message
