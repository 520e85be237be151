"""`@Voornaam Achternaam`: which colleagues a text names, without a database."""

from __future__ import annotations

import unicodedata

from app.domain.mentions import (
    Names,
    find_mentions,
    mentioned_keys,
    might_mention,
    name_key,
    suggestion_fits,
)

PEOPLE = ["Jan de Vries", "Jan de", "Fatima el Amrani", "José Núñez", "Anne-Marie Ødegård", "Bo"]


def names_in(text: str, people: list[str] = PEOPLE) -> list[str]:
    return mentioned_keys(text, Names(people))


def test_a_full_name_with_spaces_is_one_mention():
    assert names_in("Kun jij dit oppakken, @Fatima el Amrani?") == ["fatima el amrani"]


def test_the_longest_name_that_fits_wins():
    assert names_in("@Jan de Vries weet het") == ["jan de vries"]
    assert names_in("@Jan de Boer weet het") == ["jan de"]


def test_case_does_not_matter():
    assert names_in("vraag @fatima EL amrani") == ["fatima el amrani"]


def test_names_with_diacritics_match_in_either_unicode_form():
    assert names_in("@José Núñez en @anne-marie ødegård") == ["josé núñez", "anne-marie ødegård"]
    decomposed = unicodedata.normalize("NFD", "@José Núñez")
    assert names_in(decomposed) == ["josé núñez"]


def test_punctuation_right_after_the_name_ends_it():
    for text in (
        "@Jan de Vries, kijk even",
        "@Jan de Vries.",
        "(@Jan de Vries)",
        "@Jan de Vries!",
        "@Jan de Vries's actie",
        "@Jan de Vries: graag",
        "@Jan de Vries",
    ):
        assert names_in(text) == ["jan de vries"], text


def test_a_longer_word_is_not_the_name():
    assert names_in("@Jan de Vriesje") == ["jan de"]
    assert names_in("@Bob") == []
    assert names_in("@Jan de Vries-Smit") == ["jan de"]


def test_an_email_address_or_web_address_is_no_mention():
    assert names_in("mail bo@gemeente.nl") == []
    assert names_in("mail jan.de.vries@Fatima el Amrani") == []
    assert names_in("zie https://example.org/@Bo") == []


def test_several_spaces_or_a_tab_between_the_words_still_match():
    assert names_in("@Fatima  el\tAmrani") == ["fatima el amrani"]
    assert names_in("@Fatima\nel Amrani") == []


def test_each_person_counts_once_in_order_of_first_mention():
    text = "@Bo en @Jan de Vries, en nog eens @bo"
    assert names_in(text) == ["bo", "jan de vries"]


def test_positions_point_at_the_mention_as_written():
    text = "Hoi @JAN DE VRIES, en @Bo."
    found = find_mentions(text, PEOPLE)
    assert [text[f.start : f.end] for f in found] == ["@JAN DE VRIES", "@Bo"]


def test_an_at_sign_alone_or_at_the_end_names_nobody():
    assert names_in("@") == [] and names_in("prijs @ 5 euro") == [] and names_in("tot @") == []
    assert not might_mention("geen apenstaartje") and might_mention("@Bo")


def test_name_key_folds_case_and_spaces():
    assert name_key("  Fatima   EL Amrani ") == "fatima el amrani"


def test_a_suggestion_fits_the_start_of_the_name_or_of_one_of_its_words():
    assert suggestion_fits("Fatima el Amrani", "fat")
    assert suggestion_fits("Fatima el Amrani", "amr")
    assert suggestion_fits("Fatima el Amrani", "EL AM")
    assert suggestion_fits("José Núñez", "núñ")
    assert not suggestion_fits("Fatima el Amrani", "mrani")
    assert not suggestion_fits("Fatima el Amrani", "  ")
