"""A message with values: Dutch text everywhere, its template kept for translation."""

import json

from app.domain.messages import Message


def test_a_message_reads_as_the_dutch_text_with_its_values_filled_in():
    message = Message("Deze periode overlapt met %(begin)s – %(end)s.", begin="a", end="b")
    assert message == "Deze periode overlapt met a – b."
    assert json.dumps({"detail": message}) == json.dumps({"detail": message.__str__()})


def test_a_message_keeps_its_template_and_values_for_a_page_to_translate():
    message = Message("Een wachtwoord heeft minstens %(min)d tekens.", min=12)
    assert message.template == "Een wachtwoord heeft minstens %(min)d tekens."
    assert message.values == {"min": 12}
