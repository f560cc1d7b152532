"""Check one statement against its SHACL shape and say, in plain words, what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyshacl import validate
from rdflib import Graph, Node
from rdflib.namespace import SH

from oracles.jsonld import statement_graph
from accords.ontology.quantities import QuantityError, quantity_properties, read_literal
from accords.ontology.vocabulary import shared_statement_shapes


@dataclass(frozen=True)
class Finding:
    """One SHACL result: which node, which property, how bad, and the message."""

    focus: Node
    path: Node | None
    severity: str  # "Violation", "Warning" or "Info"
    message: str
    value: Node | None = None


def _findings(results: Graph) -> tuple[Finding, ...]:
    found = []
    for result in results.subjects(SH.resultSeverity, None):
        severity = results.value(result, SH.resultSeverity)
        message = results.value(result, SH.resultMessage)
        focus = results.value(result, SH.focusNode)
        assert focus is not None  # SHACL requires a focus node on every result
        found.append(
            Finding(
                focus=focus,
                path=results.value(result, SH.resultPath),
                severity=str(severity).rsplit("#", 1)[-1],
                message=str(message) if message is not None else "",
                value=results.value(result, SH.value),
            )
        )
    return tuple(found)


def _unreadable_numbers(data: Graph) -> list[Finding]:
    """Worded numbers ("about 200") that SHACL passes as text but that cannot be read."""
    found = []
    for prop, (_low, _high, datatype) in quantity_properties().items():
        for subject, value in data.subject_objects(prop):
            try:
                read_literal(value, datatype)
            except QuantityError as error:
                message = f"{error.message}; {error.hint}" if error.hint else error.message
                found.append(Finding(subject, prop, "Violation", message, value))
    return found


def check_graph(data: Graph) -> tuple[Finding, ...]:
    """Every statement-shape finding in a statement graph; empty when it conforms."""
    _conforms, results, _text = validate(data, shacl_graph=shared_statement_shapes(), inference="none", advanced=False)
    assert isinstance(results, Graph)
    found = list(_findings(results)) + _unreadable_numbers(data)
    return tuple(sorted(found, key=lambda f: (str(f.focus), str(f.path), f.message)))


def check_statement(statement: dict[str, Any]) -> tuple[Finding, ...]:
    """Every finding for a statement given as compact JSON-LD; empty when it conforms."""
    return check_graph(statement_graph(statement))
