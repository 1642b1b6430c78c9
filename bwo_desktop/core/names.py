"""Dutch name forms: salutation, address line and list sort form ("Wilde, M. de")."""

from __future__ import annotations

import unicodedata

from bwo_desktop.core.case import Client


def _clean(part: str | None) -> str:
    return " ".join((part or "").split())


def initials_of(client: Client) -> str:
    if _clean(client.initials):
        return _clean(client.initials)
    first = _clean(client.first_name)
    return "".join(f"{name[0].upper()}." for name in first.split()) if first else ""


def _capitalise_prefix(prefix: str) -> str:
    return prefix[:1].upper() + prefix[1:] if prefix else prefix


def surname(client: Client, *, capitalise_prefix: bool = False) -> str:
    """Last name with tussenvoegsel: "de Wilde", or "De Wilde" when nothing precedes it."""
    prefix = _clean(client.prefix)
    if capitalise_prefix:
        prefix = _capitalise_prefix(prefix)
    return f"{prefix} {_clean(client.last_name)}".strip()


def formal_name(client: Client) -> str:
    """ "M. de Wilde" (initials, prefix lower case); "De Wilde" without initials."""
    initials = initials_of(client)
    if initials:
        return f"{initials} {surname(client)}"
    return surname(client, capitalise_prefix=True)


def full_name(client: Client) -> str:
    """ "Mila de Wilde" for screens; falls back to the formal name."""
    first = _clean(client.first_name)
    return f"{first} {surname(client)}" if first else formal_name(client)


def salutation(client: Client, form: str | None) -> str:
    """ "Geachte heer De Wilde", "Geachte mevrouw De Wilde", or neutral "Geachte M. de Wilde"."""
    if form == "heer":
        return f"Geachte heer {surname(client, capitalise_prefix=True)}"
    if form == "mevrouw":
        return f"Geachte mevrouw {surname(client, capitalise_prefix=True)}"
    return f"Geachte {formal_name(client)}"


def sort_name(client: Client) -> str:
    """List form: "Wilde, M. de"."""
    tail = " ".join(p for p in (initials_of(client), _clean(client.prefix)) if p)
    last = _clean(client.last_name)
    return f"{last}, {tail}" if tail else last


def fold(text: str) -> str:
    """Accent- and case-insensitive search key: "Çelik" -> "celik", "ı" -> "i"."""
    text = (
        text.replace("ı", "i")
        .replace("İ", "I")
        .replace("ß", "ss")
        .replace("ø", "o")
        .replace("Ø", "O")
    )
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def same_consultant(a: str, b: str) -> bool:
    """Two spellings of one consultant's name (team mode's leases): spaces, case and accents
    do not matter ("A.  de Vries" is "a. de vries")."""
    return " ".join(fold(a).split()) == " ".join(fold(b).split())


def holder_name(device: str, consultant: str) -> str:
    """Who holds a case's lease, for a Dutch line: "A. de Vries (laptop-2)", or only the
    consultant when the lease is for any device of theirs (device "")."""
    return f"{consultant} ({device})" if device else consultant
