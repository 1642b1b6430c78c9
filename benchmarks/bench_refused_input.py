"""Prints the peak memory of refusing the largest inputs the limits refuse (issue 12): a case
file of 5 MB + 1 byte, a case file just under 5 MB with one 10,001-character field, a
planning workbook with a zip-bomb member, and advise input with a 1 MB motivation.

Each figure is tracemalloc's peak (Python allocations during the call) and the max RSS of
a fresh process refusing that input alone (resource.getrusage, a second opinion that also
sees C allocations), each as a ratio to the baseline: reading a small valid case file (in
the same process for tracemalloc). The inputs are built before measuring. No assertions on time: a script that prints figures.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import sys
import tempfile
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bwo_desktop.core.assessment_json import parse_assessment
from bwo_desktop.core.casefile import load_case_file
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.limits import MAX_JSON_FILE_BYTES, MAX_TEXT_CHARS
from bwo_desktop.core.strict_json import read_json_file
from bwo_desktop.imports.planning import read_planning

ROOT = Path(__file__).resolve().parent.parent
CASEFILES = ROOT / "tests" / "cases" / "casefiles"
ADVISE_EXAMPLE = ROOT / "tests" / "cases" / "advise" / "01_voorbeeld_uit_de_specificatie.json"
BOMB_BYTES = 200 * 1024 * 1024  # one member that unpacks to 200 MB from a few hundred kB


def _max_rss_kb() -> int:
    try:
        import resource
    except ImportError:  # Windows: tracemalloc only
        return 0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss  # bytes on macOS, kB on Linux


def _measure(action: Callable[[], Any]) -> tuple[int, str]:
    """(tracemalloc peak in bytes, outcome)."""
    tracemalloc.start()
    try:
        action()
        outcome = "gelezen"
    except InputError as exc:
        outcome = "geweigerd: " + str(exc).rsplit(": ", 1)[-1][:60]
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak, outcome


def _child_max_rss(kind: str, path: Path) -> int:
    """The max RSS (kB) of a fresh process that imports the readers and refuses one input:
    the parent's own high-water mark is set by building the inputs."""
    import subprocess

    out = subprocess.run(
        [sys.executable, __file__, "--rss", kind, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    ).stdout
    return int(out.strip() or 0)


def _action(kind: str, path: Path) -> Callable[[], Any]:
    readers: dict[str, Callable[[Path], Any]] = {
        "case": load_case_file,
        "planning": read_planning,
        "advise": lambda p: parse_assessment(read_json_file(p)),
    }
    return lambda: readers[kind](path)


def _rss_child(kind: str, path: Path) -> None:
    load_case_file(CASEFILES / "ib_bw_minimal.json")  # the same imports as the parent
    with contextlib.suppress(InputError):
        _action(kind, path)()
    print(_max_rss_kb())


def _padded_case(folder: Path, name: str, size: int, field_chars: int | None) -> Path:
    """The full sample case file grown to `size` bytes by a padding note; with
    `field_chars` one motivation is that long (over the text limit)."""
    data = json.loads((CASEFILES / "ib_bw_full.json").read_text(encoding="utf-8"))
    if field_chars is not None:
        data["motivations"]["need_24_7"] = "m" * field_chars
    # Many short notes, each within the text limit, fill the file to the size wanted.
    data["zrm_notes"] = dict(data.get("zrm_notes") or {})
    base = len(json.dumps(data).encode("utf-8"))
    note = "n" * 9_000
    entry = len(json.dumps({"pad00000": note}))  # one '"key": "...", ' (braces ~ ", ")
    count = max(0, (size - base) // entry - 1)
    extra = {f"pad{i:05d}": note for i in range(count)}
    data["extra_notes"] = extra
    text = json.dumps(data)
    text += " " * (size - len(text.encode("utf-8")))  # whitespace: still valid JSON
    path = folder / name
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size == size, (name, path.stat().st_size, size)
    return path


def _zip_bomb(folder: Path) -> Path:
    """A minimal workbook whose one extra member is 200 MB of spaces (a ratio of ~1000)."""
    path = folder / "planning-bom.xlsx"
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(BOMB_BYTES // len(chunk)):
                member.write(chunk)
    return path


def _advise_input(folder: Path) -> Path:
    data = copy.deepcopy(json.loads(ADVISE_EXAMPLE.read_text(encoding="utf-8"))["input"])
    data["ib_override"] = {"level": "IB2", "motivation": "w" * (1024 * 1024)}
    path = folder / "advies-1mb-motivatie.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = CASEFILES / "ib_bw_minimal.json"
        over = _padded_case(folder, "te-groot.json", MAX_JSON_FILE_BYTES + 1, None)
        long_field = _padded_case(
            folder, "lang-veld.json", MAX_JSON_FILE_BYTES - 1, MAX_TEXT_CHARS + 1
        )
        bomb = _zip_bomb(folder)
        cases = [
            ("casusbestand 5 MB + 1 byte", "case", over),
            ("casusbestand < 5 MB, veld 10.001 tekens", "case", long_field),
            (f"planning met zip-bom ({bomb.stat().st_size // 1024} kB)", "planning", bomb),
            ("advies-invoer, motivatie 1 MB", "advise", _advise_input(folder)),
        ]
        load_case_file(small)  # imports and caches warmed, outside the measurement
        base_peak, base_outcome = _measure(_action("case", small))
        base_rss = _child_max_rss("case", small)
        print(f"{'invoer':44} {'piek tracemalloc':>16} {'x basis':>8} {'max RSS':>10} {'x':>5}")
        print(
            f"{'basis: klein geldig casusbestand':44} {base_peak / 1024:>13.0f} kB "
            f"{1.0:>8.1f} {base_rss:>7d} kB {1.0:>5.1f}  {base_outcome}"
        )
        for label, kind, path in cases:
            peak, outcome = _measure(_action(kind, path))
            rss = _child_max_rss(kind, path)
            print(
                f"{label:44} {peak / 1024:>13.0f} kB {peak / max(base_peak, 1):>8.1f} "
                f"{rss:>7d} kB {rss / max(base_rss, 1):>5.1f}  {outcome}"
            )
    print("tracemalloc: peak of Python allocations during the call, in this process.")
    print("max RSS: the highest RSS of a fresh process (same imports) that reads only that")
    print("input (getrusage; the imports dominate it, so a ratio near 1 means no real growth).")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--rss"]:
        _rss_child(sys.argv[2], Path(sys.argv[3]))
    else:
        main()
