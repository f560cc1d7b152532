"""Readable names for RDF terms: state names, the vocabulary's own words, short ids."""

from __future__ import annotations

import pyoxigraph as ox

from accords.graph.terms import ACC, ID, LABEL, RDF, VOCABULARY, Term, short

ANONYMOUS = ID + "claim/"  # statement nodes without @id are minted under their claim


class Labels:
    """State names from the vocabulary graph, acc: terms by local name, else the short IRI."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.cache: dict[str, str] = {}

    def __call__(self, term: Term | ox.Triple) -> str:
        if isinstance(term, ox.Literal):
            return term.value
        if not isinstance(term, ox.NamedNode):
            return str(term)
        if term.value not in self.cache:
            self.cache[term.value] = self._name(term)
        return self.cache[term.value]

    def _name(self, term: ox.NamedNode) -> str:
        if term.value.startswith(ANONYMOUS):
            return "[statement]"
        if term.value == RDF + "type":
            return "a"
        if term.value.startswith(ACC):
            return term.value[len(ACC) :]
        label = next(iter(self.store.quads_for_pattern(term, LABEL, None, VOCABULARY)), None)
        return label.object.value if label and isinstance(label.object, ox.Literal) else short(term.value)
