"""SPARQL over a projection: the belief graph (with the vocabulary) as the default graph,
every other graph by name, parameters bound by the engine, updates refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from accords.errors import InputError
from accords.graph.projection import Projection
from accords.graph.terms import BELIEF, ID, LABEL, PREFIXES, VOCABULARY, short

DEFAULT_GRAPHS = [BELIEF, VOCABULARY]
_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD")


def run(projection: Projection, text: str, bindings: Mapping[str, ox.Term] | None = None) -> Any:
    """Run a query: QuerySolutions, QueryBoolean or QueryTriples. InputError on bad text."""
    try:
        return projection.store.query(
            text,
            base_iri=ID,
            prefixes=PREFIXES,
            default_graph=DEFAULT_GRAPHS,
            substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()},
        )
    except SyntaxError as e:
        words = {w.upper() for w in text.replace("{", " ").split()}
        if words & set(_UPDATE_WORDS) and not words & {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}:
            raise InputError(
                "SPARQL updates are refused: the graph is a projection of the log",
                "change the record with accords record, retract or correct",
            ) from None
        raise InputError(f"SPARQL syntax error: {e}") from None


def term_text(term: ox.Term | None) -> str | None:
    """A result term as a cell: literals by value, IRIs shortened."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        return short(term.value)
    return str(term)


class Labels:
    """Readable names: state names and vocabulary labels, else the short IRI."""

    def __init__(self, projection: Projection) -> None:
        self.store = projection.store
        self.cache: dict[str, str] = {}

    def __call__(self, term: ox.Term) -> str:
        if not isinstance(term, ox.NamedNode):
            return term.value if isinstance(term, ox.Literal) else str(term)
        if term.value not in self.cache:
            label = next(iter(self.store.quads_for_pattern(term, LABEL, None, VOCABULARY)), None)
            self.cache[term.value] = label.object.value if label else short(term.value)
        return self.cache[term.value]
