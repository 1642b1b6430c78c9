"""The hostile-workbook guard: a file from outside is refused before openpyxl parses any XML
when it is not a sane .xlsx (an OLE file: encrypted or old .xls; not a zip; too big; too many
archive members; an encrypted member; members that unpack to an unreasonable size or ratio,
i.e. a zip bomb)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from bwo_desktop.core.errors import InputError, describe_os_error

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # sum of the archive members, checked before parsing
MAX_MEMBER_RATIO = 200  # uncompressed / compressed per member: beyond this it is a zip bomb
MAX_MEMBERS = 500

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"


SAVE_AS_XLSX = (
    "Open de lijst in Excel (of LibreOffice) en kies Opslaan als → Excel-werkmap (.xlsx); "
    "importeer dat bestand"
)
NOT_A_WORKBOOK = "dit is geen Excel-werkmap (.xlsx). " + SAVE_AS_XLSX


class PlanningFileError(InputError):
    """The file as a whole is refused (not an xlsx, encrypted, corrupt, too big, formulas)."""

    def __init__(self, file_name: str, problem: str) -> None:
        super().__init__(file_name, problem)


def check_archive(path: Path) -> None:
    """Refuse what is not a sane .xlsx before any XML is parsed."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise PlanningFileError(
            name, f"kan het bestand niet lezen ({describe_os_error(exc)})"
        ) from exc
    if head == OLE_SIGNATURE:
        raise PlanningFileError(
            name,
            "het bestand is wachtwoord-beveiligd of in het oude .xls-formaat; "
            "sla het op als Excel-werkmap (.xlsx) zonder wachtwoord",
        )
    if not head.startswith(ZIP_SIGNATURE):
        raise PlanningFileError(name, NOT_A_WORKBOOK)
    if size > MAX_FILE_BYTES:
        raise PlanningFileError(
            name, f"het bestand is te groot ({size // (1024 * 1024)} MB; hoogstens 20 MB)"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise PlanningFileError(
            name, "het bestand is beschadigd of geen echte Excel-werkmap. " + SAVE_AS_XLSX
        ) from exc
    if len(members) > MAX_MEMBERS:
        raise PlanningFileError(name, "het bestand bevat te veel onderdelen voor een werkmap")
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise PlanningFileError(name, NOT_A_WORKBOOK)
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise PlanningFileError(
                name, "het bestand is versleuteld; sla het op zonder wachtwoord"
            )
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > MAX_UNCOMPRESSED_BYTES or (
            member.file_size > 1_000_000 and ratio > MAX_MEMBER_RATIO
        ):
            raise PlanningFileError(
                name, "het bestand pakt uit tot een onredelijke omvang (mogelijk een zip-bom)"
            )
