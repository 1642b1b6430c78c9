"""The per-field merge of a client row (services/sync_fields.py): a field is applied only
when the office still has its old value; no database, no server."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bwo_desktop.core.conflict_view import compare
from bwo_desktop.services import sync_fields

OFFICE: dict[str, Any] = {
    "id": "5b0c6a39-5d0e-4d55-9d3c-000000000001",
    "bsn": "999900018",
    "initials": "A.",
    "first_name": "Ayşe",
    "prefix": None,
    "last_name": "Şahin",
    "sort_name": "Şahin, A.",
    "birth_date": "1988-03-14",
    "street": "Voorstraat",
    "house_number": "12a",
    "postcode": "3311 AB",
    "city": "Dordrecht",
    "begeleider_name": "Kees de Vries",
    "begeleider_phone": "06-12345678",
    "begeleider_email": "kees@example.org",
    "version": 3,
}
BASE = {f: OFFICE[f] for f in sync_fields.MERGED}


def test_a_field_changed_here_only_applies_and_one_changed_at_the_office_stays() -> None:
    office = {**OFFICE, "begeleider_phone": "06-11110000"}  # changed at the office
    mine = {**OFFICE, "begeleider_email": "nieuw@example.org"}  # changed here
    merged, conflicts = sync_fields.merge(office, mine, BASE)
    assert conflicts == []
    assert merged["begeleider_phone"] == "06-11110000"
    assert merged["begeleider_email"] == "nieuw@example.org"


def test_the_same_field_changed_on_both_sides_differently_is_a_conflict() -> None:
    office = {**OFFICE, "begeleider_phone": "06-11110000", "city": "Zwijndrecht"}
    mine = {**OFFICE, "begeleider_phone": "06-22220000", "postcode": "3311 AC"}
    merged, conflicts = sync_fields.merge(office, mine, BASE)
    assert conflicts == ["begeleider_phone"]
    assert merged["begeleider_phone"] == "06-11110000"  # the office keeps its value
    assert merged["postcode"] == "3311 AC" and merged["city"] == "Zwijndrecht"
    assert sync_fields.labels(conflicts) == "telefoon begeleider"


def test_the_same_new_value_on_both_sides_is_no_conflict() -> None:
    both = {**OFFICE, "city": "Zwijndrecht"}
    assert sync_fields.merge(both, both, BASE) == (both, [])


def test_without_a_base_the_pushed_row_is_applied_as_it_is() -> None:
    mine = {**OFFICE, "city": "Zwijndrecht"}
    office = {**OFFICE, "begeleider_phone": "06-11110000"}
    assert sync_fields.merge(office, mine, None) == (mine, [])


def test_merged_names_make_the_sort_name_again() -> None:
    office = {**OFFICE, "prefix": "de"}
    mine = {**OFFICE, "last_name": "Wilde", "sort_name": "Wilde, A."}
    merged, conflicts = sync_fields.merge(office, mine, BASE)
    assert conflicts == []
    assert (merged["prefix"], merged["last_name"]) == ("de", "Wilde")
    assert merged["sort_name"] == "Wilde, A. de"


def test_a_base_with_an_unknown_field_is_refused() -> None:
    assert sync_fields.parse_base(None) is None
    with pytest.raises(sync_fields.BaseError, match="onbekende velden"):
        sync_fields.parse_base({"bsn": "999900018"})
    with pytest.raises(sync_fields.BaseError):
        sync_fields.parse_base(["city"])


def test_the_inbox_names_client_fields_in_dutch_and_masks_the_bsn() -> None:
    mine = {**OFFICE, "begeleider_phone": "06-22220000"}
    [first, *rest] = compare(mine, OFFICE)
    assert (first.label, first.mine, first.office) == (
        "telefoon begeleider",
        "06-22220000",
        "06-12345678",
    )
    shown = {d.name: d for d in rest}
    assert "sort_name" not in shown
    assert shown["bsn"].mine == "******018" and shown["city"].label == "woonplaats"


VALUES = st.sampled_from(["x", "y", "z", None])


@given(st.dictionaries(st.sampled_from(sync_fields.MERGED), st.tuples(VALUES, VALUES, VALUES)))
def test_a_field_is_taken_only_when_the_office_still_has_its_old_value(
    triples: dict[str, tuple[Any, Any, Any]],
) -> None:
    base, office, mine = dict(BASE), dict(OFFICE), dict(OFFICE)
    for name, (old, theirs, new) in triples.items():
        base[name], office[name], mine[name] = old, theirs, new
    merged, conflicts = sync_fields.merge(office, mine, base)
    for name in sync_fields.MERGED:
        old, theirs, new = base[name], office[name], mine[name]
        if new == old:
            assert merged[name] == theirs and name not in conflicts
        elif theirs in (old, new):
            assert merged[name] == new and name not in conflicts
        else:
            assert merged[name] == theirs and name in conflicts
    assert merged["bsn"] == mine["bsn"] and merged["id"] == mine["id"]
