"""BSN 11-proef and masking; Dutch name forms for letters and lists."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bwo_desktop.core.bsn import is_valid_bsn, mask_bsn, normalise_bsn
from bwo_desktop.core.case import Client
from bwo_desktop.core.names import fold, formal_name, salutation, sort_name


@pytest.mark.parametrize("bsn", ["111222333", "999999990", "123456782", "012345672"])
def test_valid_bsns(bsn: str) -> None:
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize(
    "bsn",
    ["123456789", "000000000", "11122233", "1112223334", "11122233a", "", "１１１２２２３３３"],
)
def test_invalid_bsns(bsn: str) -> None:
    assert not is_valid_bsn(bsn)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_a_changed_digit_breaks_the_11_proef(bsn: str) -> None:
    if not is_valid_bsn(bsn):
        return
    for i in range(9):
        for d in "0123456789":
            if d != bsn[i]:
                changed = bsn[:i] + d + bsn[i + 1 :]
                assert not is_valid_bsn(changed) or changed == "000000000"


def test_mask_and_normalise() -> None:
    assert mask_bsn("111222333") == "******333"
    assert normalise_bsn(" 1234 5672 ") == "012345672"


def _client(**kw: object) -> Client:
    base: dict[str, object] = {
        "bsn": "111222333",
        "last_name": "Wilde",
        "birth_date": dt.date(1990, 1, 1),
    }
    base.update(kw)
    return Client(**base)  # type: ignore[arg-type]


def test_salutations_follow_decisions_md() -> None:
    c = _client(prefix="de", initials="M.")
    assert salutation(c, "heer") == "Geachte heer De Wilde"
    assert salutation(c, "mevrouw") == "Geachte mevrouw De Wilde"
    assert salutation(c, "neutraal") == "Geachte M. de Wilde"
    assert salutation(c, None) == "Geachte M. de Wilde"
    assert formal_name(_client(prefix="de")) == "De Wilde"


def test_sort_name() -> None:
    assert sort_name(_client(prefix="de", initials="M.")) == "Wilde, M. de"
    assert sort_name(_client(first_name="Mila Anne", prefix="van der")) == "Wilde, M.A. van der"
    assert sort_name(_client()) == "Wilde"


def test_fold_is_accent_insensitive() -> None:
    assert fold("Çelik") == fold("Celik") == "celik"
    assert fold("Yılmaz") == "yilmaz"
    assert fold("Şahin") == "sahin"
    assert fold("Wiśniewski") == "wisniewski"
    assert fold("Ëlla") == "ella"
