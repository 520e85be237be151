"""What looks like a citizen's personal data: a BSN (nine digits passing the elfproef, also
written with dots or spaces), an e-mail address, a Dutch phone number; and what does not
(dates, case numbers, postcodes, amounts)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.personal_data import (
    KIND_BSN,
    KIND_EMAIL,
    KIND_PHONE,
    findings,
    kinds,
    passes_elfproef,
)


def _kinds(text: str) -> list[str]:
    return [finding.kind for finding in findings(text)]


@pytest.mark.parametrize("digits", ["111222333", "123456782", "999999990"])
def test_nine_digits_passing_the_elfproef_are_a_bsn(digits: str):
    assert passes_elfproef(digits)
    assert _kinds(f"Inwoner met BSN {digits} belde") == [KIND_BSN]


@pytest.mark.parametrize(
    "digits", ["123456789", "111222334", "000000000", "12345678", "1234567890"]
)
def test_other_digit_strings_fail_the_elfproef(digits: str):
    assert not passes_elfproef(digits)


@pytest.mark.parametrize("written", ["123.456.782", "123 456 782", "1234 56 782", "BSN:111222333."])
def test_a_bsn_written_with_dots_or_spaces_is_found(written: str):
    assert _kinds(f"zie {written}") == [KIND_BSN]


@pytest.mark.parametrize(
    "text",
    [
        "Klaar op 04-12-2026 of 4-12-2026",  # dates
        "Oplevering 2026-12-04, overleg om 13.30",
        "Zaaknummer Z-2026-001234 en zaak 2026001234",  # case numbers (ten digits)
        "Postcode 5131 AB Alphen, 5111 CD Baarle-Nassau",
        "Budget € 1.250.000,- en € 250.000",  # amounts
        "Raadsvoorstel 123456789 (faalt de elfproef)",
        "Factuur 1234567820",  # ten digits, even though its first nine pass
    ],
)
def test_numbers_that_are_not_a_bsn_pass(text: str):
    assert findings(text) == []


@pytest.mark.parametrize(
    "address", ["j.jansen@example.nl", "piet+zorg@gemeente-baarle.nl", "A.B@sub.domein.com"]
)
def test_an_e_mail_address_is_found(address: str):
    found = findings(f"Mail naar {address} voor de afspraak")
    assert [(f.kind, f.text) for f in found] == [(KIND_EMAIL, address)]


@pytest.mark.parametrize("text", ["mail@ het team", "@jansen in Teams", "info@localhost"])
def test_what_only_resembles_an_address_passes(text: str):
    assert KIND_EMAIL not in _kinds(text)


@pytest.mark.parametrize(
    "number",
    [
        "06-12345678",
        "06 1234 5678",
        "0612345678",
        "013-1234567",
        "013 123 45 67",
        "+31 6 12345678",
        "+31612345678",
        "0031 13 1234567",
        "+31 (0)6 12345678",
    ],
)
def test_dutch_phone_numbers_are_found(number: str):
    assert _kinds(f"Bel {number} na vijf uur") == [KIND_PHONE]


@pytest.mark.parametrize("text", ["Bel 14 013", "toestel 1234", "06-1234", "kamer 0.12"])
def test_short_numbers_are_not_phone_numbers(text: str):
    assert findings(text) == []


def test_findings_come_in_the_order_of_the_text_and_kinds_each_once_in_a_fixed_order():
    text = "Mail a@b.nl, bel 06-12345678, BSN 111222333, of c@d.nl"
    assert _kinds(text) == [KIND_EMAIL, KIND_PHONE, KIND_BSN, KIND_EMAIL]
    assert kinds([text, "", "x@y.nl"]) == [KIND_BSN, KIND_EMAIL, KIND_PHONE]
    assert kinds(["Gewoon werk", ""]) == []


def _with_check_digit(first_eight: str) -> str | None:
    total = sum(int(d) * w for d, w in zip(first_eight, range(9, 1, -1), strict=True))
    last = total % 11  # 9·d1 + … + 2·d8 − d9 ≡ 0 (mod 11)
    return None if last > 9 else first_eight + str(last)


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_number_completed_by_its_check_digit_is_found_with_or_without_dots(eight: str):
    digits = _with_check_digit(eight)
    if digits is None or digits == "000000000":
        return
    assert passes_elfproef(digits)
    dotted = f"{digits[:3]}.{digits[3:6]}.{digits[6:]}"
    assert KIND_BSN in _kinds(f"nummer {digits}")
    assert KIND_BSN in _kinds(f"nummer {dotted}")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_a_single_changed_digit_never_keeps_the_elfproef(digits: str):
    if not passes_elfproef(digits):
        return
    for i in range(9):
        changed = digits[:i] + str((int(digits[i]) + 1) % 10) + digits[i + 1 :]
        assert not passes_elfproef(changed)


@given(st.text(alphabet="abcdefghij klmnop-,.", max_size=60))
def test_text_without_digits_or_at_signs_never_has_findings(text: str):
    assert findings(text) == []
