"""Someone with the passphrase rewrites the audit log and recomputes the plain chain: the
witnesses outside the database (backup head files, backups/ketenkop.log, export metadata)
still name the first disagreement. Honest growth after a witness passes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from damage_util import filled
from safety_util import PASSPHRASE, sample_case

from bwo_desktop.cli import main
from bwo_desktop.services import audit, witnesses
from bwo_desktop.services.backups import ensure_daily_backup
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import Database, open_database


def _rechain(db: Database, *, delete_after: int | None = None, rewrite: int | None = None) -> None:
    """The attack: raw SQL on the log, then every later hash and the meta head recomputed,
    so the chain on its own is whole again."""
    from sqlalchemy import text

    with db.session() as s:
        if delete_after is not None:
            s.execute(text("DELETE FROM audit_log WHERE seq > :n"), {"n": delete_after})
        if rewrite is not None:
            s.execute(
                text("UPDATE audit_log SET result = 'weggepoetst' WHERE seq = :n"), {"n": rewrite}
            )
    prev = audit.GENESIS_HASH
    with db.session() as s:
        for e in audit.entries(db):
            fields: dict[str, Any] = {k: v for k, v in e.__dict__.items() if k != "hash"}
            fields["prev_hash"] = prev
            digest = audit.entry_hash(**fields)
            s.execute(
                text("UPDATE audit_log SET prev_hash = :p, hash = :h WHERE seq = :n"),
                {"p": prev, "h": digest, "n": e.seq},
            )
            prev, last = digest, e.seq
        s.execute(
            text("UPDATE meta SET value = :v WHERE key = :k"),
            {"v": json.dumps({"seq": last, "hash": prev}), "k": audit.HEAD_KEY},
        )


def _verify(path: Path, *extra: str) -> tuple[int, str]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["audit", "verify", "--db", str(path), *extra])
    return code, out.getvalue()


@pytest.fixture
def witnessed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)
    path = filled(tmp_path / "bwo.db", 5)
    with open_database(path, PASSPHRASE) as db:
        assert ensure_daily_backup(db).path is not None
    return path


def _out(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().out


def test_every_backup_leaves_a_head_file_and_a_log_line(witnessed: Path) -> None:
    folder = witnessed.parent / "backups"
    sidecars = list(folder.glob("*.head.json"))
    assert len(sidecars) == 1
    head = json.loads(sidecars[0].read_text())
    assert head["format"] == "bwo-audit-head/1" and head["seq"] == 5
    line = (folder / witnesses.HEAD_LOG).read_text().strip()
    assert f"seq=5 hash={head['hash']}" in line
    with open_database(witnessed, PASSPHRASE) as db:
        assert audit.chain_head(db).hash == head["hash"]


def test_deleted_tail_with_recomputed_chain_is_named(
    witnessed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_database(witnessed, PASSPHRASE) as db:
        _rechain(db, delete_after=3)
        assert audit.verify(db) == []  # the chain alone is fooled
    code, out = _verify(witnessed)
    assert code == 1
    assert "regels na 3 ontbreken" in out and "back-up van" in out and "regel 5" in out


def test_rewritten_middle_entry_with_recomputed_chain_is_named(witnessed: Path) -> None:
    with open_database(witnessed, PASSPHRASE) as db:
        _rechain(db, rewrite=2)
        assert audit.verify(db) == []
        live = audit.chain_head(db).hash
    code, out = _verify(witnessed)
    assert code == 1
    assert "de keten is herschreven" in out and "kende regel 5" in out
    assert f"de database heeft daar {live[:4]}" in out


def test_honest_growth_after_the_witness_passes(witnessed: Path) -> None:
    with open_database(witnessed, PASSPHRASE) as db:
        CaseService(db, user="Test").create(sample_case(11))
    code, out = _verify(witnessed)
    assert code == 0 and "Auditlog in orde: 6 regels; 2 getuige(n) kloppen" in out


def test_the_head_log_outlives_a_deleted_backup(witnessed: Path) -> None:
    folder = witnessed.parent / "backups"
    for p in folder.glob("bwo-*"):
        p.unlink()  # the attacker removes the backup and its head file, not the log
    with open_database(witnessed, PASSPHRASE) as db:
        _rechain(db, delete_after=4)
    code, out = _verify(witnessed)
    assert code == 1 and "ketenkop.log" in out and "regels na 4 ontbreken" in out


def test_an_excel_export_is_a_witness(witnessed: Path, tmp_path: Path) -> None:
    from bwo_desktop.services.xlsx_service import export_cases

    out_file = tmp_path / "overzicht.xlsx"
    with open_database(witnessed, PASSPHRASE) as db:
        export_cases(db, out_file)
        _rechain(db, rewrite=5)
    (witnessed.parent / "backups" / witnesses.HEAD_LOG).unlink()
    for p in (witnessed.parent / "backups").glob("*.head.json"):
        p.unlink()
    code, out = _verify(witnessed, "--witness", str(out_file))
    assert code == 1 and "Excel-bestand overzicht.xlsx kende regel 5" in out


def test_a_pdf_is_a_witness(witnessed: Path, tmp_path: Path) -> None:
    from reportlab.platypus import Paragraph

    from bwo_desktop.exports import pdf_common

    with open_database(witnessed, PASSPHRASE) as db:
        head = audit.chain_head(db).to_dict()
    pdf = tmp_path / "verslag.pdf"
    pdf_common.build_document(
        pdf,
        [Paragraph("proef")],
        title="t",
        author="a",
        subject="s",
        footer_left="f",
        demo=False,
        audit_head=head,
    )
    assert witnesses.file_witness(pdf).head.seq == 5
    with open_database(witnessed, PASSPHRASE) as db:
        _rechain(db, delete_after=2)
    code, out = _verify(witnessed, "--witness", str(pdf))
    assert code == 1 and "PDF verslag.pdf kende regel 5" in out


def test_a_witness_file_without_a_head_is_refused_with_exit_2(
    witnessed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stray = tmp_path / "leeg.json"
    stray.write_text("{}")
    assert main(["audit", "verify", "--db", str(witnessed), "--witness", str(stray)]) == 2
    assert "ketenkop" in capsys.readouterr().err
