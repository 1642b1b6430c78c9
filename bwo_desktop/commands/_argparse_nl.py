"""argparse in Dutch: a small catalogue for the messages argparse itself prints.

argparse sends its own strings ("usage: ", "options", "the following arguments are
required: %s") through the module-level names `_` and `ngettext`, which it imports from
`gettext` (Python 3.11 up to 3.14). `install()` replaces those two names on the argparse
module with lookups in this catalogue; a message it does not know falls through to the
original, so a newer Python shows at worst an English line, never an error. A test checks
that the running Python's argparse has no message id missing here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

# argparse message id -> Dutch. The placeholders stay (named ones may be dropped: argparse
# fills them from a dict). Ids of 3.11 to 3.14; older ids are harmless.
MESSAGES: dict[str, str] = {
    "usage: ": "gebruik: ",
    "positional arguments": "positionele argumenten",
    "options": "opties",
    "optional arguments": "opties",
    "subcommands": "subcommando's",
    "show this help message and exit": "deze hulptekst tonen en stoppen",
    "show program's version number and exit": "versienummer tonen en stoppen",
    " (default: %(default)s)": " (standaard: %(default)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s: waarschuwing: %(message)s\n",
    "the following arguments are required: %s": "deze argumenten zijn verplicht: %s",
    "one of the arguments %s is required": "een van de argumenten %s is verplicht",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ongeldige keuze: %(value)r (kies uit %(choices)s)"
    ),
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": (
        "ongeldige keuze: %(value)r, bedoelt u %(closest)r? (kies uit %(choices)s)"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "onbekend subcommando %(parser_name)r (kies uit %(choices)s)"
    ),
    # The type's name (int, float) is English; the argument name before it says enough.
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "expected one argument": "verwacht één waarde",
    "expected at most one argument": "verwacht hoogstens één waarde",
    "expected at least one argument": "verwacht minstens één waarde",
    "not allowed with argument %s": "niet toegestaan samen met argument %s",
    "ignored explicit argument %r": "deze optie krijgt geen waarde: %r",
    "ambiguous option: %(option)s could match %(matches)s": (
        "optie %(option)s is niet eenduidig: past bij %(matches)s"
    ),
    "unexpected option string: %s": "onverwachte optie: %s",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
    'argument "-" with mode %r': 'argument "-" met modus %r',
    "option '%(option)s' is deprecated": "optie '%(option)s' is verouderd",
    "argument '%(argument_name)s' is deprecated": "argument '%(argument_name)s' is verouderd",
    "command '%(parser_name)s' is deprecated": "subcommando '%(parser_name)s' is verouderd",
    # Mistakes in the program's own argument definitions (not the user's), kept Dutch too.
    ".__call__() not defined": ".__call__() is niet gedefinieerd",
    "conflicting subparser: %s": "subcommando bestaat al: %s",
    "conflicting subparser alias: %s": "alias van subcommando bestaat al: %s",
    "cannot merge actions - two groups are named %r": (
        "acties niet samen te voegen: twee groepen heten %r"
    ),
    "'required' is an invalid argument for positionals": (
        "'required' kan niet bij een positioneel argument"
    ),
    "invalid option string %(option)r: must start with a character %(prefix_chars)r": (
        "ongeldige optie %(option)r: moet beginnen met een teken uit %(prefix_chars)r"
    ),
    "dest= is required for options like %r": "dest= is verplicht bij een optie als %r",
    "invalid conflict_resolution value: %r": "ongeldige waarde voor conflict_resolution: %r",
    "mutually exclusive arguments must be optional": (
        "elkaar uitsluitende argumenten moeten optioneel zijn"
    ),
    "cannot have multiple subparser arguments": "maar één groep subcommando's toegestaan",
    "%r is not callable": "%r is niet aanroepbaar",
}

# ngettext's singular id -> (Dutch singular, Dutch plural).
PLURALS: dict[str, tuple[str, str]] = {
    "expected %s argument": ("verwacht %s waarde", "verwacht %s waarden"),
    "conflicting option string: %s": ("optie bestaat al: %s", "opties bestaan al: %s"),
}


def _translated(original: Callable[[str], str]) -> Callable[[str], str]:
    def gettext(message: str) -> str:
        return MESSAGES.get(message) or original(message)

    return gettext


def _translated_plural(
    original: Callable[[str, str, int], str],
) -> Callable[[str, str, int], str]:
    def ngettext(singular: str, plural: str, n: int) -> str:
        dutch = PLURALS.get(singular)
        if dutch is None:
            return original(singular, plural, n)
        return dutch[0] if n == 1 else dutch[1]

    return ngettext


def install() -> None:
    """Make argparse speak Dutch (idempotent; before any parser is built, since a parser
    takes its headings and the --help text when it is made)."""
    if getattr(argparse, "_bwo_dutch", False):
        return
    argparse._ = _translated(argparse._)  # type: ignore[attr-defined]
    argparse.ngettext = _translated_plural(argparse.ngettext)  # type: ignore[attr-defined]
    argparse._bwo_dutch = True  # type: ignore[attr-defined]
