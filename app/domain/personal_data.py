"""Text that looks like a citizen's personal data.

Actions, comments and escalations are for work, not for citizens' files. A text is suspect when
it holds a nine-digit number that passes the elfproef (a BSN), an e-mail address, or a phone
number. The check warns; the person may confirm that the text is fine (a colleague's work
number, a case number that happens to pass the elfproef).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.translatable import N_

PERSONAL_DATA = N_(
    "Deze tekst lijkt persoonsgegevens van een inwoner te bevatten (%(found)s). "
    "Haal ze weg, of bevestig dat het geen gegevens van een inwoner zijn."
)
KIND_BSN = N_("een BSN")
KIND_EMAIL = N_("een e-mailadres")
KIND_PHONE = N_("een telefoonnummer")

# nine digits, also written with dots or spaces in groups (123.456.782, 1234 56 782)
_BSN = re.compile(r"(?<![\d.])(\d(?:[ .]?\d){8})(?![\d.]?\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Dutch numbers: 06-12345678, 06 1234 5678, 013-1234567, +31 6 12345678, 0031 13 1234567
_PHONE = re.compile(r"(?<![\d+])(?:\+31|0031|0)[ -]?(?:\(0\))?[ -]?\d(?:[ -]?\d){8}(?!\d)")


@dataclass(frozen=True)
class Finding:
    kind: str  # one of the KIND_ texts (translatable)
    text: str


def passes_elfproef(digits: str) -> bool:
    """The BSN check: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11 (and not all zeros)."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def findings(text: str) -> list[Finding]:
    """What in the text looks like personal data, in the order it appears."""
    found: list[tuple[int, Finding]] = []
    phones = {match.span() for match in _PHONE.finditer(text)}
    for match in _EMAIL.finditer(text):
        found.append((match.start(), Finding(KIND_EMAIL, match.group())))
    for match in _PHONE.finditer(text):
        found.append((match.start(), Finding(KIND_PHONE, match.group())))
    for match in _BSN.finditer(text):
        digits = re.sub(r"[ .]", "", match.group(1))
        overlaps_phone = any(s <= match.start() < e for s, e in phones)
        if passes_elfproef(digits) and not overlaps_phone:
            found.append((match.start(), Finding(KIND_BSN, match.group(1))))
    return [finding for _, finding in sorted(found, key=lambda pair: pair[0])]


def kinds(texts: Iterable[str]) -> list[str]:
    """The kinds of personal data found in any of the texts, each once, in a fixed order."""
    seen = {finding.kind for text in texts if text for finding in findings(text)}
    return [kind for kind in (KIND_BSN, KIND_EMAIL, KIND_PHONE) if kind in seen]
