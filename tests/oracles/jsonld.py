"""Read a claim's statement (compact JSON-LD) into RDF with the local context only."""

from __future__ import annotations

import json
import warnings
from typing import Any

from rdflib import Graph

from accords.events.errors import InputError
from accords.ontology.vocabulary import context


def _find_context(value: Any, where: str) -> str | None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                return f"{where}/@context"
            found = _find_context(item, f"{where}/{key}")
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_context(item, f"{where}/{index}")
            if found:
                return found
    return None


def statement_graph(statement: dict[str, Any]) -> Graph:
    """The statement as an RDF graph, its keys read through the accords context."""
    # An embedded @context could name a URL, and rdflib would fetch it: refuse them all.
    where = _find_context(statement, "")
    if where is not None:
        raise InputError(
            f"{where}: @context is not allowed in a statement",
            "remove it; statements are always read in the accords context",
        )
    graph = Graph()
    with warnings.catch_warnings():
        # rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph internally.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph.parse(data=json.dumps(statement), format="json-ld", context=context())
    return graph
