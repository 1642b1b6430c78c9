"""Screenshots of each page at each scale in a test run (issue 14): `scripts/screenshots.py`
renders the shell and every editor page on a demo database as on a 1366×768 screen at
100 %, 125 % and 150 %, and reports every clipped label, cut-off button and page that
scrolls sideways. A subprocess per scale: Qt fixes the scale factor per process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ["list", *(f"page-{n}" for n in range(1, 7))]


@pytest.mark.parametrize("scale", ["1", "1.25", "1.5"])
def test_every_screen_is_drawn_and_nothing_is_clipped(tmp_path: Path, scale: str) -> None:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QT_SCALE_FACTOR=scale,
        PYTHONPATH=str(ROOT),
        BWO_DATA_DIR=str(tmp_path / "userdata"),
    )
    out = tmp_path / "screens"
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "screenshots.py"), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    for screen in SCREENS:
        assert f"{screen} (scale {float(scale)}): 0 clipped" in done.stdout, report
        assert (out / f"{screen}.png").stat().st_size > 10_000
