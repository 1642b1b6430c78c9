"""Errors of the persistence and service layer: one clear Dutch line each.

They subclass `InputError`, so a subcommand that lets one escape prints that line and exits
with status 2, like any other refused input.
"""

from __future__ import annotations

from typing import Any

from bwo_desktop.core.errors import InputError


class StoreError(InputError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(field, message)


class WrongPassphrase(StoreError):
    def __init__(self) -> None:
        super().__init__("de wachtwoordzin is onjuist")


class KeyFileError(StoreError):
    """The key file beside the database is missing or damaged."""


class DatabaseNotFound(StoreError):
    pass


class DatabaseInUse(StoreError):
    def __init__(self, host: str | None = None, pid: int | None = None) -> None:
        self.host = host
        self.pid = pid
        where = f" (op {host}, proces {pid})" if host and pid else ""
        super().__init__(f"de database is al geopend door een ander programma{where}")


class DatabaseNewer(StoreError):
    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__(
            f"de database is gemaakt door een nieuwere versie van het programma "
            f"(schema {revision}); werk het programma bij"
        )


class DatabaseOutdated(StoreError):
    """The schema is older than the app and migration was not allowed."""


class DatabaseCorrupt(StoreError):
    pass


class CaseNotFound(StoreError):
    def __init__(self, case_id: str) -> None:
        super().__init__(f"casus {case_id} bestaat niet (meer)")


class ConflictError(StoreError):
    """Optimistic locking: the case changed since it was read."""

    def __init__(self, reference: str | None) -> None:
        super().__init__(
            f"casus {reference or ''} is intussen elders gewijzigd; open hem opnieuw".replace(
                "  ", " "
            )
        )


class CaseLocked(StoreError):
    """A definitief case cannot change; make a new version instead."""

    def __init__(self, reference: str | None) -> None:
        super().__init__(
            f"casus {reference or ''} is definitief en kan niet meer worden gewijzigd; "
            "maak een nieuwe versie".replace("  ", " ")
        )


class NotReady(StoreError):
    """Definitief refused: the readiness checklist (`core.readiness`) has open items.
    `items` are the ReadinessItems that block."""

    def __init__(self, items: list[Any]) -> None:
        self.items = list(items)
        labels = "; ".join(item.label.rstrip(".") for item in self.items[:8])
        more = " …" if len(self.items) > 8 else ""
        super().__init__(f"de zaak kan nog niet definitief worden: {labels}{more}")


class ConsentMissing(StoreError):
    """The provider's copy of the onderzoeksverslag without the client's consent."""

    def __init__(self, reference: str | None) -> None:
        super().__init__(
            f"casus {reference or ''}: de cliënt heeft geen toestemming gegeven om het "
            "onderzoeksverslag met de zorgaanbieder te delen".replace("  ", " ")
        )


# --- damage and the disk (issue 12): one distinct Dutch line per situation ---------------
MSG_DAMAGED = (
    "de database is beschadigd ({detail}); er wordt niets meer in geschreven. "
    "Zet de nieuwste goede back-up terug (bwo-desktop backup restore)"
)


class DatabaseDamaged(DatabaseCorrupt):
    """Pages of the file fail SQLCipher's HMAC or SQLite's structure check: the key is
    right (other pages read), the file is damaged. Nothing may be written into it."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(MSG_DAMAGED.format(detail=detail))


class KeyFileMismatch(DatabaseCorrupt):
    """The key file unwraps with the passphrase, but no page of the database reads with
    its key: the key file belongs to another database."""

    def __init__(self) -> None:
        super().__init__(
            "het sleutelbestand hoort niet bij deze database (geen enkele pagina is met "
            "deze sleutel te lezen); zet het juiste .key-bestand naast de database"
        )


class DiskFull(StoreError):
    def __init__(self, where: str = "") -> None:
        at = f" ({where})" if where else ""
        super().__init__(
            f"de schijf is vol{at}; maak ruimte vrij en probeer het opnieuw — "
            "er is niets half opgeslagen"
        )


class FolderNotWritable(StoreError):
    def __init__(self, folder: str = "") -> None:
        self.folder = folder
        at = f" {folder}" if folder else ""
        super().__init__(
            f"de map{at} is niet beschrijfbaar (alleen-lezen of geen rechten); "
            "kies een andere map of vraag de beheerder om schrijfrechten"
        )
