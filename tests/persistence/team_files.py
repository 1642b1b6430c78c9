"""Enrolment files for the team tests of the app side, made with the office's own CA code
(no server, no database of the office)."""

from __future__ import annotations

import json
from pathlib import Path


def write_enrolment(
    folder: Path, *, team: str = "Noord", device: str = "laptop-7", name: str = "aanmelding.json"
) -> Path:
    from bwo_desktop.server import tls

    tls_dir = folder / "office-tls"
    tls.ensure_ca(tls_dir)
    issued = tls.issue_client(tls_dir, device, team)
    out = folder / name
    out.write_text(
        json.dumps(
            {
                "format": 1,
                "server": "https://127.0.0.1:9",
                "device": device,
                "team": team,
                "consultant": "J. Consulent",
                "ca_pem": (tls_dir / tls.CA_CERT).read_text(encoding="ascii"),
                "cert_pem": issued.cert_pem.decode("ascii"),
                "key_pem": issued.key_pem.decode("ascii"),
            }
        ),
        encoding="utf-8",
    )
    return out
