"""SPARQL over a projection: the belief graph (with the vocabulary) as the default graph,
every other graph by name, updates refused."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from accords.events.errors import InputError
from accords.graph.projection import Projection
from accords.graph.terms import BELIEF, ID, PREFIXES, VOCABULARY

DEFAULT_GRAPHS: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [BELIEF, VOCABULARY]
_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD")


def run(projection: Projection, text: str) -> Any:
    """Run a query: QuerySolutions, QueryBoolean or QueryTriples. InputError on bad text."""
    try:
        return projection.store.query(
            text,
            base_iri=ID,
            prefixes=PREFIXES,
            default_graph=DEFAULT_GRAPHS,
        )
    except SyntaxError as e:
        words = {w.upper() for w in text.replace("{", " ").split()}
        if words & set(_UPDATE_WORDS) and not words & {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}:
            raise InputError(
                "SPARQL updates are refused: the graph is a projection of the log",
                "change the record with accords record, retract or correct",
            ) from None
        raise InputError(f"SPARQL syntax error: {e}") from None
