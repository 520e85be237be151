"""The API token's name rule: no database."""

from app.domain.tokens import NAME_MAX_LENGTH, NAME_MISSING, token_name_problem
from app.models import ApiToken


def test_a_name_that_says_what_the_token_is_for_is_accepted():
    assert token_name_problem("Koppeling met het zaaksysteem") is None


def test_an_empty_or_blank_name_is_refused():
    assert token_name_problem("") == NAME_MISSING
    assert token_name_problem("   ") == NAME_MISSING


def test_a_name_longer_than_the_column_is_refused_never_shortened():
    assert ApiToken.__table__.c.name.type.length == NAME_MAX_LENGTH  # type: ignore[attr-defined]
    assert token_name_problem("x" * NAME_MAX_LENGTH) is None
    too_long = token_name_problem("x" * (NAME_MAX_LENGTH + 1))
    assert too_long == "Maak de naam korter: hoogstens 100 tekens."


def test_spaces_around_the_name_do_not_count_towards_its_length():
    assert token_name_problem(f"  {'x' * NAME_MAX_LENGTH}  ") is None
