"""Audit completeness (decisions.md): view, change (field names only), finalisation, exports
and imports with file name and counts; user, OS account and machine on every entry; no BSN
and no note text anywhere in the log."""

from __future__ import annotations

import dataclasses
import json
import platform
from pathlib import Path

import pytest
from decided import store_decided
from safety_util import NOTE_TEXTS, PASSPHRASE, bsn, casefile_dicts, sample_case, scan
from sqlalchemy import text

from bwo_desktop.cli import main
from bwo_desktop.services import audit
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import open_database
from bwo_desktop.services.restore import restore_backup
from bwo_desktop.services.safety import SafetyService
from bwo_desktop.settings import Settings, save_settings

CONSULTANT = "M. van den Berg"


def _raw_audit_rows(path: Path) -> list[str]:
    with open_database(path, PASSPHRASE) as db, db.engine.connect() as conn:
        return [repr(tuple(r)) for r in conn.execute(text("SELECT * FROM audit_log"))]


def test_full_flow_is_audited_without_bsn_or_note_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    save_settings(Settings(consultant_name=CONSULTANT))  # for the command-line tools
    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "bwo.db"
    db = open_database(path, PASSPHRASE, create=True)
    svc = CaseService(db, user=CONSULTANT)
    case = svc.create(sample_case(0))
    assert case.id and case.reference
    svc.record_view(case.id)
    changed = svc.save(
        dataclasses.replace(
            case,
            zrm_notes={"financien": NOTE_TEXTS[1]},
            motivations={**case.motivations, "zrm": f"{NOTE_TEXTS[2]} in het najaar"},
        )
    )
    svc.save(changed)  # nothing changed: no entry
    decision = {"outcome": "toegekend", "ib_level": "IB2"}
    tables = casefile_dicts()["ib_bw_full.json"]["tariffs_used"]
    final = store_decided(svc, case.id, decision, tables)
    svc.record_export(final.id or "", f"/home/x/beschikking_{bsn(0)}.pdf", "beschikking")
    backup = db.backup("handmatig")
    SafetyService(svc).change_passphrase(PASSPHRASE, PASSPHRASE + " twee")
    SafetyService(svc).change_passphrase(PASSPHRASE + " twee", PASSPHRASE)
    db.close()

    # Command line: export, import (file named after a BSN), a refused import.
    out = tmp_path / "export.json"
    assert main(["export-case", "--db", str(path), "--reference", case.reference,
                 "--out", str(out)]) == 0  # fmt: skip
    other = casefile_dicts()["regular_ib.json"]
    other["client"]["bsn"] = bsn(1)
    named = tmp_path / f"casus {bsn(1)}.json"
    named.write_text(json.dumps(other), encoding="utf-8")
    assert main(["import-case", str(named), "--db", str(path)]) == 0
    assert main(["import-case", str(named), "--db", str(path)]) == 2  # kenmerk exists
    capsys.readouterr()
    restore_backup(path, backup, PASSPHRASE, user=CONSULTANT)

    with open_database(path, PASSPHRASE) as db:
        entries = audit.entries(db)
        assert audit.verify(db) == []
    actions = [e.action for e in entries]
    assert actions == [
        "create", "view", "change", "finalise", "export", "passphrase_change",
        "passphrase_change", "export", "import", "import", "restore",
    ]  # fmt: skip
    change = entries[2]
    assert change.details == {"fields": ["motivations", "zrm_notes"]}
    letter, case_file = entries[4], entries[7]
    assert letter.details == {"file": "beschikking_[nummer].pdf", "kind": "beschikking", "cases": 1}
    assert case_file.details == {"file": "export.json", "kind": "casusbestand", "cases": 1}
    imported, refused = entries[8], entries[9]
    assert imported.result == "ok" and refused.result == "geweigerd"
    assert imported.details is not None and imported.details["file"] == "casus [nummer].json"
    assert imported.details["cases"] == 1 and refused.details is not None
    assert refused.details["cases"] == 0 and refused.details["field"] == "reference"
    for e in entries:
        assert e.user == CONSULTANT, e.action
        assert e.os_user and e.machine == (platform.node() or None)
    assert {e.object_ref for e in entries[:5]} == {case.reference}

    rows = _raw_audit_rows(path)
    assert len(rows) == len(entries)
    needles = [bsn(0), bsn(1), *NOTE_TEXTS, "Yılmaz", "Voorstraat", "Anouk Verbeek"]
    needles += [n for d in casefile_dicts().values() for n in d.get("zrm_notes", {}).values()]
    needles += [m for d in casefile_dicts().values() for m in d.get("motivations", {}).values()]
    assert scan([r.encode("utf-8") for r in rows], needles) == []
