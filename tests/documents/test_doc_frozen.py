"""A decided case prints as decided (issue 11): letters, the Excel overview and the
`beschikking` command use the frozen decision (frozen tariffs AND frozen rules), also after
the organisation changes its rules.toml; a concept prints marked CONCEPT on every page."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from doc_helpers import case_named, pdf_text

from bwo_desktop.core.advice import advise
from bwo_desktop.core.assessment_json import advice_to_json, load_json_strict, parse_assessment
from bwo_desktop.core.case import Case
from bwo_desktop.core.rules import RuleConfig, default_rules, rules_to_dict
from bwo_desktop.core.tariffs import load_tariff_book, tariff_table_to_dict
from bwo_desktop.exports.case_advice import advice_for_case

pytest.importorskip("sqlcipher3")

PASSPHRASE = "frozen decisions passphrase"
# The organisation's later change: score 3 needs "overnemen" too (IB2 -> IB3 for ib_bw_full).
LATER_RULES = '[default_support_form]\n3 = "overnemen"\n'
EXPERT_CASES = Path(__file__).parent.parent / "cases" / "advise"


def later_rules() -> RuleConfig:
    return dataclasses.replace(
        default_rules(),
        default_support_form={**default_rules().default_support_form, 3: "overnemen"},
    )


@pytest.fixture
def stored(tmp_path: Path) -> Iterator[tuple[Any, str]]:
    """A database with ib_bw_full decided (IB2) through the decision service."""
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.decisions import DecisionService

    db = open_database(tmp_path / "bwo.db", PASSPHRASE, create=True, backup_before_migrate=False)
    svc = CaseService(db, user="Tester")
    case = case_named("ib_bw_full")
    case.status, case.decision, case.tariffs_used = "concept", None, []
    assert case.assessment is not None
    case.assessment["ib_override"] = None  # the recommended IB2 is decided
    created = svc.import_case(case)
    assert created.id is not None
    final = DecisionService(svc).finalise(created.id, created.version)
    assert final.decision is not None and final.decision["ib_level"] == "IB2"
    try:
        yield svc, created.id
    finally:
        db.close()


def test_reprinted_beschikking_ignores_a_later_rules_file(
    stored: tuple[Any, str], tmp_path: Path, user_data_dir: Path
) -> None:
    from bwo_desktop.services.letters import LetterService

    svc, case_id = stored
    before = pdf_text(LetterService(svc).beschikking(case_id, tmp_path / "voor"))
    (user_data_dir / "rules.toml").write_text(LATER_RULES, encoding="utf-8")
    # With today's rules the same assessment is IB3: the reprint must not follow.
    assert advise(parse_assessment(svc.get(case_id).assessment), load_tariff_book(),
                  later_rules()).ib_level == "IB3"  # fmt: skip
    after = pdf_text(LetterService(svc).beschikking(case_id, tmp_path / "na"))
    assert after == before
    assert "IB2" in " ".join(after) and "IB3" not in " ".join(after)
    assert not any("CONCEPT" in page for page in after)


def test_excel_overview_shows_the_decided_level_after_a_rules_change(
    stored: tuple[Any, str], tmp_path: Path, user_data_dir: Path
) -> None:
    from openpyxl import load_workbook

    from bwo_desktop.services.xlsx_service import export_cases

    svc, _case_id = stored
    (user_data_dir / "rules.toml").write_text(LATER_RULES, encoding="utf-8")
    out = tmp_path / "overzicht.xlsx"
    export_cases(svc.db, out)
    overview = load_workbook(out).worksheets[0]  # one row per case (later sheets: code lists)
    values = [v for r in overview.iter_rows(min_row=2, values_only=True) for v in r]
    assert "IB2" in values and "IB3" not in values


def test_letter_of_a_decided_case_is_removed_when_its_audit_fails(
    stored: tuple[Any, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bwo_desktop.services.letters import LetterService

    svc, case_id = stored

    def broken(*_args: object) -> None:
        raise OSError("schijf vol")

    monkeypatch.setattr(svc, "record_export", broken)
    with pytest.raises(OSError):
        LetterService(svc).beschikking(case_id, tmp_path / "uit")
    assert list((tmp_path / "uit").iterdir()) == []


def test_provider_copy_refused_without_consent(stored: tuple[Any, str], tmp_path: Path) -> None:
    from bwo_desktop.services.errors import ConsentMissing
    from bwo_desktop.services.letters import LetterService

    svc, _ = stored
    case = case_named("ib_bw_full")
    case.reference, case.status, case.decision = "BWO-2026-A7-000999", "concept", None
    case.conversation.consent_share_report = False
    concept = svc.import_case(case)
    with pytest.raises(ConsentMissing):
        LetterService(svc).verslag(concept.id, tmp_path, copy="provider")
    path = LetterService(svc).verslag(concept.id, tmp_path, copy="client")
    assert all("CONCEPT" in page for page in pdf_text(path))


def test_internal_copy_through_the_service(
    stored: tuple[Any, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dossier copy is made without consent, named "intern" and audited as such."""
    from bwo_desktop.services.letters import LetterService

    svc, case_id = stored
    calls: list[tuple[str, str]] = []
    record = svc.record_export

    def recording(cid: str, name: str, kind: str) -> None:
        calls.append((name, kind))
        record(cid, name, kind)

    monkeypatch.setattr(svc, "record_export", recording)
    path = LetterService(svc).verslag(case_id, tmp_path, copy="internal")
    assert path.name.startswith("onderzoeksverslag-intern_")
    assert calls == [(path.name, "verslag-internal")]
    text = " ".join(pdf_text(path))
    assert "Intern dossierexemplaar — niet verstrekken" in text and "Signalen" in text


def test_concept_beschikking_is_marked_on_every_page(
    stored: tuple[Any, str], tmp_path: Path
) -> None:
    from bwo_desktop.services.letters import LetterService

    svc, _ = stored
    case = case_named("ib_bw_long")
    case.status, case.decision, case.tariffs_used = "concept", None, []
    concept = svc.import_case(case)
    pages = pdf_text(LetterService(svc).beschikking(concept.id, tmp_path))
    assert len(pages) > 1 and all("CONCEPT" in page for page in pages)


def _cli(args: list[str], data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BWO_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "bwo_desktop", *args], capture_output=True,
                          text=True, env=env, timeout=120)  # fmt: skip


def test_beschikking_command_prints_the_decision_not_todays_rules(tmp_path: Path) -> None:
    case_file = Path(__file__).parent.parent / "cases" / "casefiles" / "ib_bw_full.json"
    plain = _cli(["beschikking", str(case_file), "--out", str(tmp_path / "a.pdf")], tmp_path / "d1")
    assert plain.returncode == 0, plain.stderr
    changed = tmp_path / "d2"
    changed.mkdir()
    (changed / "rules.toml").write_text(LATER_RULES, encoding="utf-8")
    later = _cli(["beschikking", str(case_file), "--out", str(tmp_path / "b.pdf")], changed)
    assert later.returncode == 0, later.stderr
    assert pdf_text(tmp_path / "b.pdf") == pdf_text(tmp_path / "a.pdf")


def test_beschikking_command_marks_an_undecided_case_concept(tmp_path: Path) -> None:
    data = json.loads(
        (Path(__file__).parent.parent / "cases" / "casefiles" / "ib_bw_long.json").read_text(
            encoding="utf-8"
        )
    )
    data["status"] = "concept"
    data.pop("tariffs_used", None)
    data.pop("decision_date", None)
    path = tmp_path / "concept.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = _cli(["beschikking", str(path), "--out", str(tmp_path / "c.pdf")], tmp_path / "d")
    assert done.returncode == 0, done.stderr
    pages = pdf_text(tmp_path / "c.pdf")
    assert pages and all("CONCEPT" in page for page in pages)


def _expert_cases() -> list[Path]:
    out = []
    for path in sorted(EXPERT_CASES.glob("*.json")):
        if "error" not in json.loads(path.read_text(encoding="utf-8"))["expected"]:
            out.append(path)
    return out


@pytest.mark.parametrize("rules", [default_rules(), later_rules()], ids=["builtin", "later"])
@pytest.mark.parametrize("path", _expert_cases(), ids=lambda p: p.stem)
def test_recomputing_with_frozen_tariffs_and_rules_gives_the_frozen_decision(
    path: Path, rules: RuleConfig
) -> None:
    """The letters recompute a decided case with its frozen tariffs and rules; over every
    expert case that equals the decision frozen at definitief, whatever rules are in force
    when it is reprinted."""
    spec: dict[str, Any] = load_json_strict(path.read_text(encoding="utf-8"), str(path))
    book = load_tariff_book([path.parent / t for t in spec.get("tariffs", [])], user_folder=None)
    advice = advise(parse_assessment(spec["input"]), book, rules)
    tables = list(advice.tariffs_used) or book.tables_between(
        advice.period_start, advice.period_end
    )
    case = Case(
        client=case_named("ib_bw_full").client,
        consultant_name="C.",
        assessment=spec["input"],
        status="definitief",
        decision=advice_to_json(advice),
        tariffs_used=[tariff_table_to_dict(t) for t in tables],
        rules_used=rules_to_dict(rules),
    )
    for in_force in (default_rules(), later_rules()):
        assert advice_to_json(advice_for_case(case, in_force)) == case.decision
