"""The set-up form's one-line-per-problem view of the passphrase rule agrees with the rule."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bwo_desktop.core.passphrase import check_passphrase_strength, passphrase_problems


@given(st.text(alphabet="abcé 12", max_size=20))
def test_problems_are_empty_exactly_when_the_rule_accepts(text: str) -> None:
    assert (passphrase_problems(text) == []) == (check_passphrase_strength(text) is None)


def test_each_unmet_part_is_its_own_sentence() -> None:
    assert [p.split(":")[0] for p in passphrase_problems("aaaaaa")] == ["Te kort", "Te eenvoudig"]
    assert [p.split(":")[0] for p in passphrase_problems("aaaaaaaaaaaaaa")] == ["Te eenvoudig"]
    assert [p.split(":")[0] for p in passphrase_problems("abcdefghijklm")] == ["Te eenvoudig"]
    assert [p.split(":")[0] for p in passphrase_problems("qwzrt")] == ["Te kort"]
    # The first keys are short, not yet "too simple": no wall of messages at once.
    assert [p.split(":")[0] for p in passphrase_problems("ab")] == ["Te kort"]
    assert passphrase_problems("een een een ene") == []  # four words pass on their own
