"""Readable names for RDF terms: keys of claims and sources, state names, the vocabulary's
own words, else short ids (claim/0f10f3fa48ba, which trace and show accept)."""

from __future__ import annotations

import pyoxigraph as ox

from accords.graph.terms import ACC, ID, LABEL, PROVENANCE, RDF, VOCABULARY, Term, acc, short

ANONYMOUS = ID + "claim/"  # statement nodes without @id are minted under their claim


_RECORDED = tuple(ID + kind + "/" for kind in ("claim", "source", "event"))


class Labels:
    """Keys of claims, sources and events, state names from the vocabulary graph, acc:
    terms by local name, else the short IRI."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.cache: dict[str, str] = {}
        self.keys: dict[str, str] | None = None  # every key, once an answer names many events
        self.lookups = 0

    def __call__(self, term: Term | ox.Triple) -> str:
        if isinstance(term, ox.Literal):
            return term.value
        if not isinstance(term, ox.NamedNode):
            return str(term)
        if term.value not in self.cache:
            self.cache[term.value] = self._name(term)
        return self.cache[term.value]

    def _name(self, term: ox.NamedNode) -> str:
        if term.value.startswith(_RECORDED) and "/" not in term.value[len(ID) :].partition("/")[2]:
            return self._key(term) or short(term.value)
        if term.value.startswith(ANONYMOUS):
            return "[statement]"
        if term.value == RDF + "type":
            return "a"
        if term.value.startswith(ACC):
            return term.value[len(ACC) :]
        label = next(iter(self.store.quads_for_pattern(term, LABEL, None, VOCABULARY)), None)
        return label.object.value if label and isinstance(label.object, ox.Literal) else short(term.value)

    def _key(self, term: ox.NamedNode) -> str | None:
        """An event's key: looked up one by one, then, past a few thousand, read all at once
        (reading every key costs about what a tenth as many lookups do: it pays once an
        answer names thousands of events)."""
        if self.keys is None and self.lookups > 5000:
            self.keys = {
                q.subject.value: q.object.value
                for q in self.store.quads_for_pattern(None, acc("key"), None, PROVENANCE)
                if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal)
            }
        if self.keys is not None:
            return self.keys.get(term.value)
        self.lookups += 1
        key = next(iter(self.store.quads_for_pattern(term, acc("key"), None, PROVENANCE)), None)
        return key.object.value if key and isinstance(key.object, ox.Literal) else None
