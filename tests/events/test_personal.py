"""Marking the mentions of persons in a quote (events/personal.py): what a regular
expression of the mentions, longest first, would replace, without compiling one a claim."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from accords.events.personal import _marked

TEXT = st.text(alphabet="abc ", max_size=40)


@given(TEXT, st.lists(st.text(alphabet="abc ", min_size=1, max_size=4), min_size=1, max_size=4, unique=True))
def test_marks_are_what_the_longest_first_alternation_replaces(quote: str, mentions: list[str]) -> None:
    marks = {m: f"<{n}>" for n, m in enumerate(mentions)}
    pattern = re.compile("|".join(re.escape(m) for m in sorted(marks, key=len, reverse=True)))
    assert _marked(quote, marks) == pattern.sub(lambda found: marks[found[0]], quote)


def test_a_name_and_its_surname() -> None:
    marks = {"Marisol Quintana": "⟦person/p#1⟧", "Quintana": "⟦person/p#2⟧"}
    quote = "Marisol Quintana, 41, flew. Quintana had lived in Texas."
    assert _marked(quote, marks) == "⟦person/p#1⟧, 41, flew. ⟦person/p#2⟧ had lived in Texas."
