"""`python -m bwo_desktop` does exactly what the `bwo-desktop` entry point does."""

import sys

from bwo_desktop.cli import main

sys.exit(main())
