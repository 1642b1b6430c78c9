"""Fuzzing the parsers that read outside data: case files, tariff files, advise input.

Each input is either accepted or refused with an InputError (one Dutch line); never another
exception. An import that the database refuses stores nothing. (Planning workbooks are
fuzzed with the Excel tests.)
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from safety_util import PASSPHRASE, bsn, casefile_dicts
from sqlalchemy import func, select

from bwo_desktop.core.advice import Advice, advise
from bwo_desktop.core.assessment_json import load_json_strict, parse_assessment
from bwo_desktop.core.case import Case
from bwo_desktop.core.casefile import parse_case_file
from bwo_desktop.core.errors import DataFileError, InputError
from bwo_desktop.core.rules import load_rules
from bwo_desktop.core.tariffs import TariffTable, load_tariff_book, parse_tariff_file
from bwo_desktop.models import AuditEntry, Herindicatie, Zorgaanbieder
from bwo_desktop.models import Client as ClientRow
from bwo_desktop.paths import resource
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import Database, open_database

FUZZ = settings(deadline=None, max_examples=80, suppress_health_check=list(HealthCheck))
ADVISE_EXAMPLE = (
    Path(__file__).resolve().parent.parent
    / "cases"
    / "advise"
    / "01_voorbeeld_uit_de_specificatie.json"
)
CASEFILES = casefile_dicts()
TARIFF_TEXT = next(resource("tariffs").glob("*.toml")).read_text(encoding="utf-8")

# -- strategies ------------------------------------------------------------------------------
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "2026-12-08", "2027-02-30", "IB2", "definitief", "999900006", "zin"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(max_size=12), children, max_size=5),
    ),
    max_leaves=25,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, (*prefix, i))


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> Any:
    """The base document with 1..3 random edits: a value replaced, a key removed or added,
    a list shortened."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = doc
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        action = draw(st.sampled_from(["replace", "delete", "add", "retype"]))
        if action == "replace":
            parent[last] = draw(json_values)
        elif action == "delete":
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(json_values)
        elif action == "retype":
            value = parent[last]
            parent[last] = json.dumps(value) if not isinstance(value, str) else [value]
    return doc


@st.composite
def mutated_text(draw: st.DrawFn, base: str) -> str:
    """Byte-level damage to a text: a slice cut, characters inserted, or truncation."""
    text = base
    for _ in range(draw(st.integers(1, 3))):
        if not text:
            break
        i = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["cut", "insert", "truncate"]))
        if action == "cut":
            j = draw(st.integers(i, min(len(text), i + 40)))
            text = text[:i] + text[j:]
        elif action == "insert":
            text = text[:i] + draw(st.text(max_size=8)) + text[i:]
        else:
            text = text[:i]
    return text


def _parse_or_refuse(data: Any) -> Case | None:
    try:
        return parse_case_file(data)
    except InputError as exc:
        message = str(exc).strip()
        assert message and "\n" not in message and "\r" not in message
        return None


# -- case files ------------------------------------------------------------------------------
@FUZZ
@given(json_values)
def test_random_structures_as_case_file(data: Any) -> None:
    _parse_or_refuse(data)


@FUZZ
@given(st.sampled_from(sorted(CASEFILES)).flatmap(lambda name: mutated(CASEFILES[name])))
def test_mutated_case_files(data: Any) -> None:
    _parse_or_refuse(data)


@FUZZ
@given(
    st.sampled_from(sorted(CASEFILES)).flatmap(
        lambda name: mutated_text(json.dumps(CASEFILES[name], ensure_ascii=False, indent=1))
    )
)
def test_damaged_case_file_text(text: str) -> None:
    try:
        data = load_json_strict(text, "casus.json")
    except InputError:
        return
    _parse_or_refuse(data)


@pytest.fixture(scope="module")
def import_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(tmp_path_factory.mktemp("fuzz") / "bwo.db", PASSPHRASE, create=True)
    yield db
    db.close()


def _counts(db: Database) -> tuple[int, ...]:
    with db.session() as s:
        return tuple(
            int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in (Herindicatie, ClientRow, Zorgaanbieder, AuditEntry)
        )


def _rows(db: Database) -> list[tuple[Any, ...]]:
    with db.session() as s:
        return [
            (r.id, r.version, r.status, r.location)
            for r in s.scalars(select(Herindicatie).order_by(Herindicatie.id))
        ]


# A few references, BSNs and birth dates, so that imports collide: an existing kenmerk, a
# definitief case to replace, a BSN with another birth date.
@st.composite
def colliding_case_file(draw: st.DrawFn) -> Any:
    name = draw(st.sampled_from(sorted(CASEFILES)))
    doc = copy.deepcopy(CASEFILES[name])
    doc["reference"] = draw(st.sampled_from(["BWO-2026-FZ-0001", "BWO-2026-FZ-0002"]))
    doc["client"]["bsn"] = bsn(draw(st.integers(0, 2)))
    doc["client"]["birth_date"] = draw(st.sampled_from(["1990-04-17", "1985-01-31"]))
    doc["status"] = draw(st.sampled_from(["concept", "definitief", doc.get("status")]))
    if draw(st.booleans()):
        doc = draw(mutated(doc))
    return doc


@FUZZ
@given(colliding_case_file(), st.booleans())
def test_import_refused_stores_nothing(import_db: Database, data: Any, replace: bool) -> None:
    case = _parse_or_refuse(data)
    if case is None:
        event("not a case file")
        return
    before, rows = _counts(import_db), _rows(import_db)
    try:
        stored = CaseService(import_db).import_case(case, replace=replace, source="casus.json")
    except InputError as exc:
        event("refused by the database side")
        assert str(exc).strip()
        assert _counts(import_db) == before
        assert _rows(import_db) == rows
        return
    event("stored")
    if case.reference is None:  # case-file.md: the kenmerk is generated when absent
        assert stored.reference is not None and stored.reference.startswith("BWO-")
    else:
        assert stored.reference == case.reference
    after = _counts(import_db)
    assert after[3] == before[3] + 1  # one audit entry per import


# -- tariff files ----------------------------------------------------------------------------
def _tariff_or_refuse(text: str) -> None:
    try:
        table = parse_tariff_file("tarieven.toml", text=text)
    except DataFileError as exc:
        assert "tarieven.toml" in str(exc)
        return
    assert isinstance(table, TariffTable)


@FUZZ
@given(st.text(max_size=300))
def test_random_text_as_tariff_file(text: str) -> None:
    _tariff_or_refuse(text)


@FUZZ
@given(mutated_text(TARIFF_TEXT))
def test_damaged_tariff_file(text: str) -> None:
    _tariff_or_refuse(text)


@st.composite
def tariff_line_edits(draw: st.DrawFn) -> str:
    """Valid TOML with one value changed: negative, float, huge, a bad date, a string."""
    lines = TARIFF_TEXT.splitlines()
    candidates = [i for i, line in enumerate(lines) if "=" in line and not line.startswith("#")]
    i = draw(st.sampled_from(candidates))
    key = lines[i].split("=", 1)[0]
    value = draw(
        st.sampled_from(
            [
                "-1.00",
                "1e9",
                "0",
                '"abc"',
                "2027-02-30",
                '"12,50"',
                "12.5",
                "true",
                '"1e400"',
                '"99999999999999999999.99"',
                "[]",
                '""',
                '"0.001"',
            ]
        )
    )
    lines[i] = f"{key}= {value}"
    return "\n".join(lines)


@FUZZ
@given(tariff_line_edits())
def test_tariff_values_out_of_range(text: str) -> None:
    _tariff_or_refuse(text)


# -- advise input ----------------------------------------------------------------------------
_ADVISE_INPUT = json.loads(ADVISE_EXAMPLE.read_text(encoding="utf-8"))["input"]
_BOOK = load_tariff_book()
_RULES = load_rules(None)


def _advise_or_refuse(data: Any) -> None:
    try:
        advice = advise(parse_assessment(data), _BOOK, _RULES)
    except InputError as exc:
        assert str(exc).strip()
        return
    assert isinstance(advice, Advice)


@FUZZ
@given(mutated(_ADVISE_INPUT))
def test_mutated_advise_input(data: Any) -> None:
    _advise_or_refuse(data)


@FUZZ
@given(json_values)
def test_random_structures_as_advise_input(data: Any) -> None:
    _advise_or_refuse(data)
