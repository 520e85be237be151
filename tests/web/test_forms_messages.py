"""A service's message with values reaches the page in the reader's language."""

import pytest

from app.domain.messages import Message
from app.services.sprints import OVERLAP
from app.web import forms

ENGLISH = {
    OVERLAP: "This sprint overlaps %(begin)s – %(end)s.",
    "Deze gemeente of vestiging bestaat al.": "This municipality or office already exists.",
}


@pytest.fixture
def in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forms, "_", lambda text: ENGLISH.get(text, text))


def test_a_message_with_values_is_translated_before_its_values_are_filled_in(in_english):
    message = Message(OVERLAP, begin="2026-11-23", end="2026-12-06")
    assert forms.in_reader_language(message) == "This sprint overlaps 2026-11-23 – 2026-12-06."


def test_a_plain_message_is_translated_as_it_is(in_english):
    assert forms.in_reader_language("Deze gemeente of vestiging bestaat al.") == (
        "This municipality or office already exists."
    )


def test_in_dutch_the_message_reads_as_the_service_wrote_it():
    message = Message(OVERLAP, begin="2026-11-23", end="2026-12-06")
    assert forms.in_reader_language(message) == "Deze periode overlapt met 2026-11-23 – 2026-12-06."
