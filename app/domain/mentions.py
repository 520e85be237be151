"""Mentions: `@Voornaam Achternaam` in a comment or a knelpunt names a colleague.

The syntax is the colleague's full name, as it is shown everywhere, after an `@`:
`@Fatima el Amrani, kun jij hiernaar kijken?`. The suggestion list inserts exactly that, and
without JavaScript you type it yourself. There is no hidden token in the text: what is stored is
what people read (in the API, in an e-mail, in an export), and it stays readable when the
colleague leaves.

Matching, the same when a text is saved (who is mentioned) and when it is shown (what is linked):

- the `@` starts the text or follows a character that is not a letter, digit or one of
  `. _ % + - / @`, so an e-mail address (`jan@gemeente.nl`) or a web address
  (`https://example.org/@jan`) is no mention;
- after it come the words of an active colleague's full name, compared without regard to case
  (`@fatima EL amrani`), with any run of spaces or tabs between the words; Unicode text is
  compared in one normal form (NFC), so an é typed as e + accent still matches;
- of the names that fit, the longest wins (`@Jan de Vries` is Jan de Vries, not Jan de);
- the name ends the text or is followed by something that is not a letter or digit, so
  punctuation right after it is fine (`@Jan de Vries,` `(@Jan de Vries)` `@Jan de Vries's`),
  but `@Jan de Vriesje` is nobody, and neither is `@Jan de Vries-Smit` when only Jan de Vries
  exists.

These rules are pure: they take the text and the names, never a database. Which names are
active colleagues, who holds a name and who is left out (the writer) is the service's.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MARK = "@"
# characters that make the @ part of an address, not a mention
_BEFORE_ADDRESS = frozenset("._%+-/@")
_SPACES = frozenset(" \t\u00a0")


def normal(text: str) -> str:
    """The text in Unicode's composed form, the one all comparisons use."""
    return unicodedata.normalize("NFC", text)


def name_key(name: str) -> str:
    """A name as it is compared: composed, case-folded, single spaces, no spaces at the ends."""
    return " ".join(normal(name).casefold().split())


def might_mention(text: str) -> bool:
    """Whether the text could hold a mention at all (no need to look up names otherwise)."""
    return MARK in text


@dataclass(frozen=True)
class Found:
    """One mention in a text: text[start:end] is the @ and the name as written."""

    start: int
    end: int
    key: str  # the name's name_key


@dataclass(frozen=True)
class _Name:
    key: str
    words: tuple[str, ...]  # composed, as the name is written
    length: int


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _mark_counts(text: str, at: int) -> bool:
    if at == 0:
        return True
    before = text[at - 1]
    return not (_is_word_char(before) or before in _BEFORE_ADDRESS)


def _ends_here(text: str, end: int) -> bool:
    if end >= len(text):
        return True
    after = text[end]
    if _is_word_char(after):
        return False
    # a hyphen joining another word makes a longer name (Jansen-Smit)
    return not (after == "-" and end + 1 < len(text) and _is_word_char(text[end + 1]))


def _match_at(text: str, start: int, name: _Name) -> int | None:
    """The end of name written at text[start:], or None."""
    at = start
    for index, word in enumerate(name.words):
        if index:
            gap = at
            while gap < len(text) and text[gap] in _SPACES:
                gap += 1
            if gap == at:
                return None
            at = gap
        written = text[at : at + len(word)]
        if len(written) != len(word) or written.casefold() != word.casefold():
            return None
        at += len(word)
    return at if _ends_here(text, at) else None


class Names:
    """The names to look for, ready for many texts: longest first, grouped by first letter."""

    def __init__(self, names: Iterable[str]) -> None:
        by_first: dict[str, list[_Name]] = {}
        for name in {name_key(name): normal(name) for name in names if name.strip()}.values():
            words = tuple(name.split())
            entry = _Name(key=name_key(name), words=words, length=len(" ".join(words)))
            by_first.setdefault(words[0][0].casefold(), []).append(entry)
        for entries in by_first.values():
            entries.sort(key=lambda entry: -entry.length)
        self._by_first = by_first

    def find(self, text: str) -> list[Found]:
        """Every mention in text (in composed form, see `normal`), in order, none overlapping."""
        found: list[Found] = []
        at = text.find(MARK)
        while at != -1:
            end = None
            if _mark_counts(text, at) and at + 1 < len(text):
                for name in self._by_first.get(text[at + 1].casefold(), ()):
                    end = _match_at(text, at + 1, name)
                    if end is not None:
                        found.append(Found(start=at, end=end, key=name.key))
                        break
            at = text.find(MARK, end if end is not None else at + 1)
        return found


def find_mentions(text: str, names: Iterable[str]) -> list[Found]:
    """The mentions of any of names in text (composed first: positions are in normal(text))."""
    return Names(names).find(normal(text))


def mentioned_keys(text: str, names: Names) -> list[str]:
    """Each name mentioned in text once, in the order of first mention."""
    return list(dict.fromkeys(found.key for found in names.find(normal(text))))


def suggestion_fits(name: str, query: str) -> bool:
    """Whether a name fits what was typed after the @: the name, or one of its words, starts
    with it (case ignored): "fat", "el am" and "amr" all fit Fatima el Amrani."""
    wanted = name_key(query)
    if not wanted:
        return False
    key = name_key(name)
    words = key.split(" ")
    return any(" ".join(words[index:]).startswith(wanted) for index in range(len(words)))
