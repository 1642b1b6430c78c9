"""Entry point of both frozen executables (`bwo-desktop` windowed, `bwo-desktop-cli` console).

The windowed executable has no console: Windows gives it `sys.stdout = None`, and a stray
print (argparse's `--version`, a library warning) would crash it. Those writes go nowhere.
"""

from __future__ import annotations

import os
import sys

if sys.stdout is None:
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
if sys.stderr is None:
    sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115

from bwo_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
