"""`bwo-desktop advise` as a real process: JSON on stdout, one error line on stderr, exit codes."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from core_data import DATA_DIR, SPEC_EXAMPLE, TARIFF_2027


def advise(
    tmp_path: Path, *args: str, data_dir: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["BWO_DATA_DIR"] = str(data_dir or tmp_path / "data")
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "bwo_desktop", "advise", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        input=stdin,
        timeout=60,
    )


def write(tmp_path: Path, data: object, name: str = "case.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_spec_example_prints_documented_output(tmp_path: Path) -> None:
    result = advise(tmp_path, str(write(tmp_path, SPEC_EXAMPLE)))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = json.loads(result.stdout)
    assert list(out) == [
        "outcome",
        "ib_level",
        "recommended_ib_level",
        "period",
        "lines",
        "weekly_total",
        "period_total",
        "warnings",
        "explanation",
    ]
    assert out["outcome"] == "ib_bw"
    assert (out["ib_level"], out["recommended_ib_level"]) == ("IB2", "IB2")
    assert out["period"] == {"start": "2027-01-01", "end": "2027-12-31"}
    assert out["lines"] == [
        {"code": "IB2", "days": 275, "weekly": "204.12", "amount": "8019.00"},
        {"code": "IB2_opslag", "days": 90, "weekly": "270.88", "amount": "3482.74"},
        {"code": "bereikbaarheid", "days": 365, "weekly": "36.88", "amount": "1923.03"},
        {"code": "huisvesting", "days": 365, "weekly": "156.61", "amount": "8166.09"},
        {"code": "huishoudelijke_kosten", "days": 365, "weekly": "50.00", "amount": "2607.14"},
    ]
    assert out["weekly_total"] == "514.37"
    assert out["period_total"] == "24198.00"
    assert [w["code"] for w in out["warnings"]] == ["budgetcoach_required", "tariff_table_outdated"]
    # one JSON object, indent 2, non-ASCII kept
    assert result.stdout.startswith('{\n  "outcome": "ib_bw",')
    assert "cliënt" in result.stdout
    assert result.stdout.count("\n}") == 1 and result.stdout.endswith("}\n")


def test_stdin(tmp_path: Path) -> None:
    result = advise(tmp_path, "-", stdin=json.dumps(SPEC_EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["period_total"] == "24198.00"


def _mutated(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SPEC_EXAMPLE)
    for key, value in changes.items():
        data[key] = value
    return data


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_mutated(extra=True), "extra"),
        (_mutated(zrm={**SPEC_EXAMPLE["zrm"], "financien": 6}), "zrm.financien"),
        (_mutated(period={"start": "2027-01-01", "end": "2026-12-31"}), "period.end"),
        (
            _mutated(
                opslag={"reason": "life_event", "end": "2028-01-01", "motivated_in_plan": True}
            ),
            "opslag.end",
        ),
        (_mutated(ib_override={"level": "IB3", "motivation": ""}), "ib_override.motivation"),
        (
            _mutated(
                period={"start": "2020-12-31"},
                assessment_date="2020-12-01",
                support_plan_date=None,
                opslag=None,
            ),
            "period.start",
        ),
        (_mutated(assessment_date="2026-02-30"), "assessment_date"),
        (_mutated(support_forms={"huisvesting": "veel"}), "support_forms.huisvesting"),
    ],
)
def test_invalid_input_exit_2_one_line(tmp_path: Path, data: dict[str, Any], field: str) -> None:
    result = advise(tmp_path, str(write(tmp_path, data)))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"bwo-desktop advise: fout: {field}: ")


def test_malformed_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"assessment_date": "2026-12-08",\n "period": }', encoding="utf-8")
    result = advise(tmp_path, str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "regel 2" in result.stderr and str(path) in result.stderr


def test_duplicate_key(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    text = json.dumps(SPEC_EXAMPLE)
    path.write_text(
        text.replace('"has_debts": true', '"has_debts": true, "has_debts": false'), encoding="utf-8"
    )
    result = advise(tmp_path, str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert "has_debts" in result.stderr and "dubbel" in result.stderr


def test_unreadable_file(tmp_path: Path) -> None:
    result = advise(tmp_path, str(tmp_path / "missing.json"))
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "missing.json" in result.stderr
    (tmp_path / "latin1.json").write_bytes(b'{"a": "\xe9"}')
    result = advise(tmp_path, str(tmp_path / "latin1.json"))
    assert result.returncode == 2 and "UTF-8" in result.stderr


def test_extra_tariffs(tmp_path: Path) -> None:
    data = _mutated(
        assessment_date="2027-04-01",
        period={"start": "2027-06-01"},
        opslag=None,
        support_plan_date="2027-03-01",
    )
    case = write(tmp_path, data)
    result = advise(tmp_path, str(case), "--tariffs", str(TARIFF_2027))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["lines"][0] == {
        "code": "IB2",
        "days": 366,
        "weekly": "219.45",
        "amount": "11474.10",
    }  # 366 × 219.45 / 7
    assert out["lines"][2]["weekly"] == "176.33"
    # the last of several --tariffs with the same valid_from wins
    other = tmp_path / "other.toml"
    other.write_text(
        TARIFF_2027.read_text(encoding="utf-8").replace('"219.45"', '"7.00"'), encoding="utf-8"
    )
    out = json.loads(
        advise(tmp_path, str(case), "--tariffs", str(TARIFF_2027), "--tariffs", str(other)).stdout
    )
    assert out["lines"][0]["weekly"] == "7.00"
    out = json.loads(
        advise(tmp_path, str(case), "--tariffs", str(other), "--tariffs", str(TARIFF_2027)).stdout
    )
    assert out["lines"][0]["weekly"] == "219.45"


def test_user_tariff_folder_and_no_user_tariffs(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    (data_dir / "tarieven").mkdir(parents=True)
    (data_dir / "tarieven" / "2027-05-01.toml").write_text(
        TARIFF_2027.read_text(encoding="utf-8"), encoding="utf-8"
    )
    data = _mutated(
        assessment_date="2027-04-01",
        period={"start": "2027-06-01"},
        opslag=None,
        support_plan_date="2027-03-01",
    )
    case = write(tmp_path, data)
    out = json.loads(advise(tmp_path, str(case), data_dir=data_dir).stdout)
    assert out["lines"][0]["weekly"] == "219.45"
    out = json.loads(advise(tmp_path, str(case), "--no-user-tariffs", data_dir=data_dir).stdout)
    assert out["lines"][0]["weekly"] == "204.12"
    # --tariffs beats the user's folder
    other = tmp_path / "other.toml"
    other.write_text(
        TARIFF_2027.read_text(encoding="utf-8").replace('"219.45"', '"7.00"'), encoding="utf-8"
    )
    out = json.loads(advise(tmp_path, str(case), "--tariffs", str(other), data_dir=data_dir).stdout)
    assert out["lines"][0]["weekly"] == "7.00"


def test_user_folder_duplicate_valid_from(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "tarieven"
    folder.mkdir(parents=True)
    for name in ("a.toml", "b.toml"):
        (folder / name).write_text(TARIFF_2027.read_text(encoding="utf-8"), encoding="utf-8")
    case = write(tmp_path, SPEC_EXAMPLE)
    result = advise(tmp_path, str(case))
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "b.toml: valid_from" in result.stderr
    assert advise(tmp_path, str(case), "--no-user-tariffs").returncode == 0


def test_bad_tariff_file_names_file_and_key(tmp_path: Path) -> None:
    bad = DATA_DIR / "tariffs_invalid" / "float_amount.toml"
    result = advise(tmp_path, str(write(tmp_path, SPEC_EXAMPLE)), "--tariffs", str(bad))
    assert result.returncode == 2 and result.stdout == ""
    assert f"{bad}: weekly.IB2: " in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_rules_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text("ib3_min_overnemen = 2\n", encoding="utf-8")
    case = str(write(tmp_path, SPEC_EXAMPLE))
    out = json.loads(advise(tmp_path, case, "--rules", str(rules)).stdout)
    assert out["recommended_ib_level"] == "IB3"
    # the user's rules.toml is read too
    data_dir = tmp_path / "data2"
    data_dir.mkdir()
    (data_dir / "rules.toml").write_text("ib3_min_overnemen = 2\n", encoding="utf-8")
    out = json.loads(advise(tmp_path, case, data_dir=data_dir).stdout)
    assert out["recommended_ib_level"] == "IB3"
    rules.write_text("ib3_min_overnemen = 0\n", encoding="utf-8")
    result = advise(tmp_path, case, "--rules", str(rules))
    assert result.returncode == 2 and "ib3_min_overnemen" in result.stderr


def test_usage_error_exit_2(tmp_path: Path) -> None:
    result = advise(tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""


# --- hostile or Windows-made input ---------------------------------------------------------


def test_deeply_nested_json_is_one_error_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000, encoding="utf-8")
    result = advise(tmp_path, str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "deep.json" in lines[0]


def test_deeply_nested_json_value_is_one_error_line(tmp_path: Path) -> None:
    text = json.dumps(SPEC_EXAMPLE).replace('"has_debts": true', '"has_debts": ' + "[" * 50_000)
    result = advise(tmp_path, "-", stdin=text)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_utf8_bom_is_accepted_like_in_case_files(tmp_path: Path) -> None:
    path = tmp_path / "notepad.json"
    path.write_text("\ufeff" + json.dumps(SPEC_EXAMPLE), encoding="utf-8")
    result = advise(tmp_path, str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["ib_level"] == "IB2"


def test_selftest_example_is_the_spec_example() -> None:
    """The self-test's bundled example is this test's verbatim copy of the specification."""
    from bwo_desktop.core.resources import resource_path

    bundled = json.loads(resource_path("selftest", "spec-example.json").read_text(encoding="utf-8"))
    assert bundled["assessment"] == SPEC_EXAMPLE
    assert bundled["expected"]["period_total"] == "24198.00"
    assert bundled["expected"]["weekly_total"] == "514.37"
