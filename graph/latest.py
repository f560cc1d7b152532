"""The latest word of each side, as trace marks it: the latest-word query over the words
on the questions the traced claims take a position on.

A side's words on a question are every claim taking a stance on it, not only those a
trace lists, so the query runs over all of them (with what it reads of their sources and
speakers) in a small dataset: the same rows as on the whole record, for those questions,
in a fraction of the time.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from accords.graph.labels import Labels
from accords.graph.projection import View
from accords.graph.terms import PROVENANCE, acc, prov
from accords.queries.library import get, prepared

QUERY = "latest-word"
_POSITION = acc("position")
_QUESTIONS = (acc("on"), acc("toward"))
_LINKS = frozenset([prov("wasDerivedFrom"), prov("wasAttributedTo")])  # a claim's source and speaker


def marks(store: ox.Store, claims: Mapping[str, ox.NamedNode]) -> dict[str, str]:
    """For each of claims (by the key the queries name it by: its key, else claim/ and its
    id's first 12 digits) that is a word of a side on a question the side spoke on more
    than once: "latest word of Uganda on agreement/us-ug", or "superseded: the latest word
    of Uganda on agreement/us-ug is c-x"."""
    questions = {
        q.object
        for claim in claims.values()
        for node in {q.subject for q in store.quads_for_pattern(None, _POSITION, None, claim)}
        for p in _QUESTIONS
        for q in store.quads_for_pattern(node, p, None, claim)
    }
    if not questions:
        return {}
    words = {
        q.graph_name
        for question in questions
        for p in _QUESTIONS
        for q in store.quads_for_pattern(None, p, question, None)
        if q.graph_name != ox.DefaultGraph()
    }
    small = ox.Store()
    small.extend(_dataset(store, words))  # type: ignore[arg-type]
    names = Labels(store)
    out: dict[str, str] = {}
    for row in small.query(prepared(get(QUERY), View(), {})):  # type: ignore[union-attr]
        side, question = names(row["side"]), names(row["question"])
        latest = row["latest_claims"].value
        for key in latest.split():
            if key in claims:
                out[key] = f"latest word of {side} on {question}"
        for key in row["superseded_claims"].value.split():
            if key in claims:
                out[key] = f"superseded: the latest word of {side} on {question} is {', '.join(latest.split())}"
    return out


def _dataset(store: ox.Store, claims: set[ox.NamedNode]) -> list[ox.Quad]:
    """The claims' graphs and provenance, and their sources' and speakers' provenance."""
    quads: list[ox.Quad] = []
    for claim in claims:
        quads += store.quads_for_pattern(None, None, None, claim)
        for q in store.quads_for_pattern(claim, None, None, PROVENANCE):
            quads.append(q)
            if q.predicate in _LINKS and isinstance(q.object, ox.NamedNode):
                quads += store.quads_for_pattern(q.object, None, None, PROVENANCE)
    return quads
