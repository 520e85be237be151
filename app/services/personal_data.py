"""The privacy guard: one check for every text a person writes on an action, a comment or an
escalation, from a page or from the API alike.

A text that looks like a citizen's personal data (app/domain/personal_data.py) is refused with a
message on its field, unless the writer confirmed it (`confirm_personal_data`). A service calls
`check_texts` (or adds `refused_texts` to its own messages) before it writes anything.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.messages import Message
from app.domain.personal_data import PERSONAL_DATA, findings
from app.services.errors import check

# "een BSN", "een BSN, een e-mailadres", ...: each kind a message of its own, so a page or the
# API translates them one by one
_JOINED = {n: ", ".join(f"%(k{i})s" for i in range(n)) for n in range(1, 4)}


def message(text: str) -> Message | None:
    """The message for a text that looks like personal data, or None."""
    kinds: list[str] = []
    for finding in findings(text):
        if finding.kind not in kinds:
            kinds.append(finding.kind)
    if not kinds:
        return None
    found = Message(_JOINED[len(kinds)], **{f"k{i}": Message(k) for i, k in enumerate(kinds)})
    return Message(PERSONAL_DATA, found=found)


def refused_texts(texts: Mapping[str, str | None], *, confirmed: bool) -> dict[str, str]:
    """A message per field (by its name in the write model) whose text looks like a citizen's
    personal data; nothing when the writer confirmed that it is not."""
    if confirmed:
        return {}
    refused: dict[str, str] = {}
    for field, text in texts.items():
        if text and (found := message(text)) is not None:
            refused[field] = found
    return refused


def check_texts(texts: Mapping[str, str | None], *, confirmed: bool) -> None:
    """Raise Invalid with a message on each field whose text looks like personal data."""
    check(refused_texts(texts, confirmed=confirmed))


def is_personal_data(message: str) -> bool:
    """Whether a service's message is the privacy guard's (so a form offers the box to confirm)."""
    return isinstance(message, Message) and message.template == PERSONAL_DATA
