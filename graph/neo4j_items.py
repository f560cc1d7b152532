"""A claim's statement as property-graph items: typed nodes, literal values, relationships.

Literals become the Neo4j values Cypher compares naturally (integers, floats, booleans,
dates); vocabulary terms (acc:signed) their local name; IRI-valued properties become
relationships named after the property in upper snake case (acc:party -> ``:PARTY``).
What the judgement compares is marked as the vocabulary says (acc:judged, acc:unjudged),
with the frame of a node without @id, so that Cypher reads the same facts as SPARQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from accords.graph.neo4j_schema import IDENT, local, relationship_types, snake
from accords.graph.statement_rdf import frames, statement_triples
from accords.graph.terms import ACC, TYPE, XSD, claim_iri
from accords.ontology.vocabulary import judgement_terms

# Node properties the projection keeps for itself; a statement's property of that name gets acc_.
RESERVED = {"iri", "claims", "believed", "believed_from", "believed_until", "types", "label"}


def _value(term: ox.Literal) -> Any:
    """A literal as the Neo4j value Cypher compares naturally."""
    datatype, text = term.datatype.value, term.value
    try:
        if datatype == XSD + "integer" and -(2**63) <= int(text) < 2**63:
            return int(text)
        if datatype == XSD + "boolean":
            return text in ("true", "1")
        if datatype in (XSD + "decimal", XSD + "double"):
            return float(text)
        if datatype == XSD + "date":
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    return text


def vkey(value: Any) -> tuple[str, str]:
    """A value's identity across the driver (neo4j Date and datetime.date compare unequal)."""
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, bool):
        return ("bool", str(value))
    if isinstance(value, dt.date):
        return ("date", value.isoformat())
    return (type(value).__name__, repr(value) if isinstance(value, float) else str(value))


def native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


@dataclass(frozen=True, slots=True)
class Items:
    """What one statement says, as the items the graph keeps."""

    types: list[tuple[str, str]]  # (subject iri, type name)
    literals: list[tuple[str, str, Any]]  # (subject iri, property, value)
    relationships: list[tuple[str, str, str, str]]  # (subject iri, TYPE, property iri, object iri)
    subjects: list[str]
    objects: list[str]
    frames: dict[str, str]  # the frame of each node without @id (acc:frame)
    judged: set[tuple[str, str]]  # (subject iri, property or type name) the judgement compares


def _property(iri: str) -> str:
    name = local(iri)
    return "acc_" + name if name in RESERVED else name


def items(claim_id: str, statement: dict[str, Any]) -> Items:
    blank = claim_iri(claim_id).value + "/statement"
    triples = statement_triples(statement, blank)
    out = Items([], [], [], [], [], {s.value: o.value for s, _, o in frames(triples, blank) if s != o}, set())
    types = relationship_types()
    judged, existing, unjudged = judgement_terms()
    typed = {(s.value, o.value) for s, p, o in triples if p == TYPE}
    for s, p, o in triples:
        subject = s.value
        if subject not in out.subjects:
            out.subjects.append(subject)
        if p == TYPE:
            out.types.append((subject, local(o.value) if o.value.startswith(ACC) else o.value))
            if o.value in existing:
                out.judged.add((subject, out.types[-1][1]))
            continue
        if p.value in judged and not any((subject, t) in typed for t in unjudged.get(p.value, ())):
            out.judged.add((subject, _property(p.value)))
        if isinstance(o, ox.Literal):
            out.literals.append((subject, _property(p.value), _value(o)))
        elif isinstance(o, ox.NamedNode) and o.value.startswith(ACC):
            out.literals.append((subject, _property(p.value), local(o.value)))  # a vocabulary term
        elif isinstance(o, ox.NamedNode):
            rtype = snake(local(p.value))
            known = rtype in types and IDENT.match(rtype)
            out.relationships.append((subject, rtype if known else "RELATED", "" if known else p.value, o.value))
            if o.value not in out.objects:
                out.objects.append(o.value)
    return out
