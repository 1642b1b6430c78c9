"""The one passphrase rule: how strong a passphrase must be, and its canonical form.

Enforced wherever a passphrase is chosen (set-up, change). A passphrase is accepted when,
after Unicode NFC normalisation and trimming, it either
- has at least 12 characters, at least 5 different ones, and is not a simple sequence
  (each character one step up or down from the previous, digits wrapping 9 -> 0), or
- has at least 4 words of at least 3 letters each, not all the same word.
There is no dictionary: "real word" means letters only, at least 3 of them.
`passphrase_problems` names each unmet part of the character route separately, for a form
that shows one message per problem while the passphrase is typed.
"""

from __future__ import annotations

import itertools
import unicodedata

MIN_PASSPHRASE_CHARS = 12
MIN_DISTINCT_CHARS = 5
MIN_PASSPHRASE_WORDS = 4
MIN_WORD_LETTERS = 3


def normalise(passphrase: str) -> str:
    """The form that is derived from: composed and decomposed é give the same key."""
    return unicodedata.normalize("NFC", passphrase)


def _is_sequence(text: str) -> bool:
    steps = set()
    for a, b in itertools.pairwise(text):
        if a.isdigit() and b.isdigit():
            steps.add((int(b) - int(a)) % 10)
        else:
            steps.add((ord(b.lower()) - ord(a.lower())) % 0x110000)
    return steps <= {1} or steps <= {0x110000 - 1, 9}


def _strong_characters(text: str) -> bool:
    return (
        len(text) >= MIN_PASSPHRASE_CHARS
        and len(set(text)) >= MIN_DISTINCT_CHARS
        and not _is_sequence(text.replace(" ", ""))
    )


def _strong_words(text: str) -> bool:
    words = text.lower().split()
    return (
        len(words) >= MIN_PASSPHRASE_WORDS
        and all(w.isalpha() and len(w) >= MIN_WORD_LETTERS for w in words)
        and len(set(words)) > 1
    )


def check_passphrase_strength(passphrase: str) -> str | None:
    """None when strong enough, else a Dutch reason (see the module docstring)."""
    text = normalise(passphrase).strip()
    if _strong_characters(text) or _strong_words(text):
        return None
    return (
        f"de wachtwoordzin is te zwak: gebruik minstens {MIN_PASSPHRASE_CHARS} verschillende "
        f"tekens (geen reeks of herhaling) of minstens {MIN_PASSPHRASE_WORDS} woorden "
        f"van minstens {MIN_WORD_LETTERS} letters"
    )


def passphrase_problems(passphrase: str) -> list[str]:
    """Each reason the passphrase is refused, as a Dutch sentence; empty when strong enough
    (the same rule as `check_passphrase_strength`). A passphrase of 4 real words passes
    whatever its characters; otherwise the parts of the character route it misses."""
    text = normalise(passphrase).strip()
    if _strong_characters(text) or _strong_words(text):
        return []
    problems = []
    if len(text) < MIN_PASSPHRASE_CHARS:
        problems.append(
            f"Te kort: minstens {MIN_PASSPHRASE_CHARS} tekens (nu {len(text)}), of "
            f"{MIN_PASSPHRASE_WORDS} woorden van {MIN_WORD_LETTERS} letters of meer."
        )
    # Judged once there are enough characters to judge: every start is short and "few".
    if len(text) >= MIN_DISTINCT_CHARS and len(set(text)) < MIN_DISTINCT_CHARS:
        problems.append(
            f"Te eenvoudig: minstens {MIN_DISTINCT_CHARS} verschillende tekens, geen herhaling."
        )
    elif len(text) >= MIN_DISTINCT_CHARS and _is_sequence(text.replace(" ", "")):
        problems.append("Te eenvoudig: een reeks als abcdef of 123456 is te raden.")
    return problems
