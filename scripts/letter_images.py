"""Render the letter images of docs/letters/ (issue 13): pages 1 and 2 of each letter of the
case files in tests/cases/casefiles, with `pdftoppm -png -r 60 -gray` (poppler-utils).

    .venv/bin/python scripts/letter_images.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "documents"))

from doc_helpers import advice_for, case_named, previous_of  # noqa: E402

from bwo_desktop.exports.beschikking import render_beschikking  # noqa: E402
from bwo_desktop.exports.organisation import load_organisation  # noqa: E402
from bwo_desktop.exports.verslag import render_onderzoeksverslag  # noqa: E402

OUT = ROOT / "docs" / "letters"
BESCHIKKINGEN = ("ib_bw_full", "regular_ib", "intramural", "ib_bw_pgb")
# The three copies of the onderzoeksverslag, of the case with a previous herindicatie.
VERSLAGEN = {
    "client": "verslag_client",
    "provider": "verslag_aanbieder",
    "internal": "verslag_intern",
}


def pages_to_png(pdf: Path, stem: str) -> None:
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-gray", "-f", "1", "-l", "2", str(pdf), str(OUT / stem)],
        check=True,
    )


def main() -> int:
    organisation = load_organisation(use_settings=False)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in BESCHIKKINGEN:
            case = case_named(name)
            pdf = render_beschikking(case, advice_for(case), organisation, folder / f"{name}.pdf")
            pages_to_png(pdf, name)
        case = case_named("ib_bw_full")
        for copy_for, stem in VERSLAGEN.items():
            pdf = render_onderzoeksverslag(
                case,
                advice_for(case),
                organisation,
                folder / f"{stem}.pdf",
                previous=previous_of(case),
                copy_for=copy_for,
            )
            pages_to_png(pdf, stem)
    print(f"images written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
