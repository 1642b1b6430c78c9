"""Issue 12: the passphrase rule, forged key files, old-cost key files, the OS account in the
audit log, control characters in `audit show`, and SQL parameters kept out of errors."""

from __future__ import annotations

import contextlib
import json
import os
import unicodedata
from pathlib import Path

import pytest
from safety_util import PASSPHRASE, sample_case
from sqlalchemy import text

from bwo_desktop.cli import main
from bwo_desktop.core.passphrase import check_passphrase_strength
from bwo_desktop.services import audit, keys
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import open_database
from bwo_desktop.services.errors import KeyFileError


@pytest.mark.parametrize("weak", ["123456789012", "aaaaaaaaaaaa", "a b c d", "abcdefghijklmn",
                                  "987654321098", "kat kat kat kat"])  # fmt: skip
def test_weak_passphrases_are_refused(weak: str) -> None:
    assert check_passphrase_strength(weak) is not None
    assert keys.check_passphrase_strength(weak) is not None  # the same rule everywhere


@pytest.mark.parametrize("strong", ["twaalf tekns", "een twee drie vier", "Herfst-Blad-93!"])
def test_reasonable_passphrases_pass(strong: str) -> None:
    assert check_passphrase_strength(strong) is None


def test_decomposed_passphrase_unlocks_composed_key_file(tmp_path: Path) -> None:
    composed = unicodedata.normalize("NFC", "café op de hoek")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    path = tmp_path / "bwo.db.key"
    data_key = keys.create_key_file(path, composed)
    assert keys.unlock_key_file(path, decomposed) == data_key


def _forged(tmp_path: Path, **kdf: object) -> Path:
    path = tmp_path / "bwo.db.key"
    keys.create_key_file(path, PASSPHRASE)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["kdf"].update(kdf)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "kdf",
    [
        {"p": 10**6},
        {"n": 2**40},
        {"r": 10**9},
        {"n": 2**20, "r": 16, "p": 4},
        {"salt": "AAAA"},
        {"salt": ""},
    ],
)
def test_forged_kdf_parameters_are_refused_at_once(tmp_path: Path, kdf: dict[str, object]) -> None:
    path = _forged(tmp_path, **kdf)
    with pytest.raises(KeyFileError, match="beschadigd"):
        keys.unlock_key_file(path, PASSPHRASE)


def test_forged_key_file_on_the_command_line_is_one_dutch_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "bwo.db"
    with open_database(db, PASSPHRASE, create=True):
        pass
    key = keys.key_file_for(db)
    document = json.loads(key.read_text(encoding="utf-8"))
    document["kdf"]["p"] = 10**6
    key.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)
    assert main(["audit", "verify", "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "sleutelbestand" in err and "Traceback" not in err


def test_old_cost_key_file_opens_and_is_rewrapped_at_the_new_cost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "bwo.db"
    with open_database(db, PASSPHRASE, create=True):  # the conftest's cheap (old) cost
        pass
    # New files now get a higher cost (kept small here so the test stays quick).
    monkeypatch.setattr(keys, "SCRYPT_N", 2**16)
    key = keys.key_file_for(db)
    assert keys.needs_rewrap(json.loads(key.read_text(encoding="utf-8")))
    with open_database(db, PASSPHRASE):
        pass
    document = json.loads(key.read_text(encoding="utf-8"))
    assert document["kdf"]["n"] == 2**16 and not keys.needs_rewrap(document)
    with open_database(db, PASSPHRASE):  # and it still opens
        pass


def test_production_cost_fits_the_bounds() -> None:
    n, r, p = keys.PRODUCTION_COST
    assert 128 * n * r * p <= keys.MAX_SCRYPT_MEMORY
    assert n <= keys.MAX_SCRYPT_N and r <= keys.MAX_SCRYPT_R and p <= keys.MAX_SCRYPT_P


def test_forged_login_variables_do_not_change_the_os_account(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = audit._os_user()
    for name in ("LOGNAME", "USER", "USERNAME", "LNAME"):
        monkeypatch.setenv(name, "vervalst")
    with open_database(tmp_path / "bwo.db", PASSPHRASE, create=True) as db:
        entry = audit.record(db, "view", "BWO-2026-0001")
    assert entry.os_user == real and entry.os_user != "vervalst"
    if hasattr(os, "getuid"):
        import pwd

        assert entry.os_user == pwd.getpwuid(os.getuid()).pw_name


def test_audit_show_escapes_control_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "bwo.db"
    forged = "BWO-1\n     9  2026-01-01 00:00:00  delete\x1b[2J"
    with open_database(db, PASSPHRASE, create=True) as opened:
        audit.record(opened, "view", forged)
    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)
    assert main(["audit", "show", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert len(out.strip().splitlines()) == 1
    assert "\\n" in out and "\\x1b" in out


def test_sql_errors_do_not_carry_parameters(tmp_path: Path) -> None:
    secret = "Gezondheidsnotitie 999990019"
    with open_database(tmp_path / "bwo.db", PASSPHRASE, create=True) as db:
        CaseService(db, user="t").create(sample_case(0))
        with pytest.raises(Exception) as caught, db.engine.begin() as conn:
            conn.execute(text("INSERT INTO no_such_table (x) VALUES (:x)"), {"x": secret})
    assert secret not in str(caught.value)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_key_file_is_private_and_a_planted_symlink_is_not_followed(tmp_path: Path) -> None:
    path = tmp_path / "bwo.db.key"
    target = tmp_path / "elders.txt"
    target.write_text("onaangeroerd", encoding="utf-8")
    (tmp_path / "bwo.db.key.tmp").symlink_to(target)
    keys.create_key_file(path, PASSPHRASE)
    assert path.stat().st_mode & 0o777 == 0o600
    assert target.read_text(encoding="utf-8") == "onaangeroerd"
    assert not (tmp_path / "bwo.db.key.tmp").exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX rlimit")
def test_commands_switch_core_dumps_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import resource

    before = resource.getrlimit(resource.RLIMIT_CORE)
    db = tmp_path / "bwo.db"
    with open_database(db, PASSPHRASE, create=True):
        pass
    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)
    try:
        assert main(["audit", "verify", "--db", str(db)]) == 0
        assert resource.getrlimit(resource.RLIMIT_CORE) == (0, 0)
    finally:
        # The hard limit cannot be raised again by an unprivileged process; the soft one
        # back to what the hard limit allows keeps the rest of the run as it was.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CORE, before)


def test_export_case_leaves_no_tmp_and_is_removed_when_the_audit_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "bwo.db"
    with open_database(db, PASSPHRASE, create=True) as opened:
        case = CaseService(opened, user="t").create(sample_case(0))
    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "export.json"
    argv = ["export-case", "--db", str(db), "--reference", case.reference or "", "--out", str(out)]
    assert main(argv) == 0
    assert not (tmp_path / "export.json.tmp").exists()
    if os.name == "posix":
        assert out.stat().st_mode & 0o777 == 0o600
    out.unlink()

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(CaseService, "record_export", broken)
    assert main(argv) == 2
    assert not out.exists() and not (tmp_path / "export.json.tmp").exists()
    err = capsys.readouterr().err
    assert "de schijf is vol" in err and len(err.strip().splitlines()) == 1
