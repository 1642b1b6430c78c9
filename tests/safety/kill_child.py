"""Child process of the kill test: random autosaves until it is killed.

Usage: python kill_child.py DB RUN SEED. Prints "ready" after the open, then one line
"saved <case id> <version> <marker>" after each committed save (flushed at once).
"""

from __future__ import annotations

import dataclasses
import random
import sys

from bwo_desktop.core.case import Conversation
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import open_database

PASSPHRASE = "correct horse battery staple"


def main() -> None:
    path, run, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(seed)
    db = open_database(path, PASSPHRASE)
    svc = CaseService(db, user="Kill Test")
    cases = [svc.get(s.id) for s in svc.list_summaries()]
    print("ready", flush=True)
    i = 0
    while True:
        i += 1
        k = rng.randrange(len(cases))
        case = cases[k]
        marker = f"{run}-{i}"
        changes: dict[str, object] = {
            "conversation": dataclasses.replace(case.conversation, location=f"Locatie {marker}")
        }
        what = rng.random()
        if what < 0.3:
            changes["zrm_notes"] = {"financien": f"notitie {marker} " + "x" * rng.randrange(2000)}
        elif what < 0.6:
            changes["motivations"] = {**case.motivations, "zrm": f"motivering {marker}"}
        elif what < 0.7:
            changes["conversation"] = Conversation(location=f"Locatie {marker}")
        saved = svc.save(dataclasses.replace(case, **changes))  # type: ignore[arg-type]
        cases[k] = saved
        print(f"saved {saved.id} {saved.version} {marker}", flush=True)


if __name__ == "__main__":
    main()
