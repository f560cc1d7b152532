"""SPARQL over a projection: the belief graph (with the vocabulary) as the default graph,
every other graph by name, updates refused."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from accords.events.errors import InputError
from accords.graph.projection import Projection
from accords.graph.terms import BELIEF, ID, PREFIXES, VOCABULARY, Term

DEFAULT_GRAPHS: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [BELIEF, VOCABULARY]
_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD")


def solutions(store: ox.Store, query: str, name: str, value: ox.NamedNode) -> list[ox.QuerySolution]:
    """The rows of a SELECT (the project's prefixes declared) with one variable bound by the
    engine (pyoxigraph binds only a variable the query selects)."""
    bound: dict[ox.Variable, Term | ox.Triple] = {ox.Variable(name): value}
    rows = store.query(query, prefixes=PREFIXES, substitutions=bound)
    assert isinstance(rows, ox.QuerySolutions)
    return list(rows)


def calls_service(text: str) -> bool:
    """Whether a query calls another endpoint (SERVICE), read from its parse (a word in a
    string or a comment is not a call); a query the parser cannot read is judged by its words."""
    from pyparsing import ParseException, ParseResults
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    def found(node: Any) -> bool:
        if isinstance(node, CompValue):
            return node.name == "ServiceGraphPattern" or any(found(v) for v in node.values())
        return isinstance(node, (list, tuple, ParseResults)) and any(found(v) for v in node)

    try:
        return found(parseQuery(text))
    except (ParseException, ValueError, TypeError):
        return "SERVICE" in text.upper()


def run(projection: Projection, text: str, allow_service: bool = False) -> Any:
    """Run a query: QuerySolutions, QueryBoolean or QueryTriples. InputError on bad text,
    and on a call to another endpoint (SERVICE) unless allow_service: a query file shared
    among colleagues must not send the record's data to a host nobody named."""
    if not allow_service and "SERVICE" in text.upper() and calls_service(text):
        raise InputError(
            "the query calls another SPARQL endpoint (SERVICE): refused, so that no data leaves this machine unasked",
            "run it with --allow-service if you mean to query that endpoint",
        )
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
