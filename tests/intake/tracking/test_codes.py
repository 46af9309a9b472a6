"""Tracking codes are readable but unguessable; access tokens are checked against their hash."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from services.intake.tracking import codes
from shared.messaging.contracts import codes as drawing


def test_a_tracking_code_is_pgd_and_two_groups_of_unambiguous_symbols() -> None:
    for _ in range(200):
        code = codes.new_tracking_code()
        assert codes.CODE_PATTERN.match(code), code
        assert not set(code.removeprefix("PGD-")) & set("ILOU")


def test_tracking_codes_are_random_not_sequential() -> None:
    drawn = [codes.new_tracking_code() for _ in range(2000)]
    assert len(set(drawn)) == len(drawn)
    # Every symbol turns up in every position: nothing counts upwards.
    for position in (4, 5, 6, 7, 9, 10, 11, 12):
        assert set(Counter(code[position] for code in drawn)) == set(codes.ALPHABET)


def test_a_taken_code_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    draws = iter(["PGD-AAAA-AAAA", "PGD-BBBB-BBBB", "PGD-CCCC-CCCC"])
    monkeypatch.setattr(drawing, "new_tracking_code", lambda: next(draws))
    taken = {"PGD-AAAA-AAAA", "PGD-BBBB-BBBB"}

    assert codes.under_unused_code(lambda code: None if code in taken else code) == "PGD-CCCC-CCCC"


def test_a_code_space_that_is_full_fails_loudly_instead_of_looping() -> None:
    with pytest.raises(codes.CodeSpaceExhausted):
        codes.under_unused_code(lambda _code: None)


@pytest.mark.parametrize(
    "typed", ["PGD-7KQ2-M9XD", "pgd-7kq2-m9xd", " PGD-7KQ2-M9XD ", "PGD-7KQ2 -M9XD"]
)
def test_a_code_typed_loosely_still_finds_the_complaint(typed: str) -> None:
    assert codes.normalise_tracking_code(typed) == "PGD-7KQ2-M9XD"


def test_letters_that_look_like_digits_are_read_as_the_digits() -> None:
    assert codes.normalise_tracking_code("pgd-o1il-abcd") == "PGD-0111-ABCD"


@pytest.mark.parametrize(
    "typed",
    [
        "PGD05HF7RZG",  # without dashes
        "pgd05hf7rzg",
        "PGD 05HF 7RZG",  # spaces for dashes
        "  pgd-05hf-7rzg\n",
        "PGD\u201305HF\u20137RZG",  # en dashes, as a phone's keyboard makes them
        "PGD.05HF.7RZG",
        "05HF-7RZG",  # without the prefix
        "05hf7rzg",
        "PGD-O5HF-7RZG",  # O for 0
        "pgd o5hf 7rzg",
    ],
)
def test_every_way_a_person_types_a_code_reads_as_the_code(typed: str) -> None:
    assert codes.normalise_tracking_code(typed) == "PGD-05HF-7RZG"


@pytest.mark.parametrize("typed", ["", "PGD", "PGD-05HF-7RZ", "PGD-05HF-7RZGX", "PGD-05HF-7RZ\x00"])
def test_what_cannot_be_a_code_matches_no_code(typed: str) -> None:
    assert not codes.CODE_PATTERN.fullmatch(codes.normalise_tracking_code(typed))


def test_an_access_token_has_256_bits_and_is_checked_by_its_sha256() -> None:
    token = codes.new_access_token()
    assert len(token) == 43  # 32 bytes, URL-safe base64 without padding
    stored = codes.hash_access_token(token)
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert codes.token_matches(token, stored)
    assert not codes.token_matches(token[:-1] + ("A" if token[-1] != "A" else "B"), stored)
    assert not codes.token_matches("", stored)
