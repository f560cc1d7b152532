"""The one judgement of which claims disagree, for every command that reports it.

It is written once, in standard SPARQL: the named query ``contradictions``
(queries/contradictions.rq), reading what the vocabulary says of each property
(acc:judged, acc:compatibleWith, acc:Lifecycle in ontology/accords.ttl). ``accords query
contradictions`` runs it as it is; validate reports its rows as Info findings, over the whole
record or, walking history, for the things each event touched; trace marks the claims on
each side. For a few things it runs over a small dataset of only the claims that can bear
on them (evidence()): the same rows for those things, without judging the whole record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from accords.graph.statement_rdf import FRAME
from accords.graph.terms import PROVENANCE, RDF, VOCABULARY, Term, acc, prov
from accords.ontology.shapecheck import Result
from accords.ontology.vocabulary import ACCSH, ontology_graph
from accords.queries.library import get

SHAPE = str(ACCSH) + "Disagreement"  # how validate names its findings (no SHACL shape: this module)

# What the judgement reads of the vocabulary (the rest of it is not copied into evidence()).
_RULES = [
    acc("judged"),
    acc("unjudged"),
    acc("compatibleWith"),
    acc("lowerBoundProperty"),
    acc("upperBoundProperty"),
    ox.NamedNode("http://www.w3.org/2004/02/skos/core#inScheme"),
]
_DERIVED = prov("wasDerivedFrom")
ON, POSITION, DENIED = acc("on"), acc("position"), acc("denied")

_SIDE_CLAIMS = re.compile(r"\[([^;\]]*);")


@dataclass(frozen=True, slots=True)
class Disagreement:
    """One row of the judgement: a thing, a property, and the sides its claims take."""

    subject: ox.NamedNode
    property: ox.NamedNode
    kind: str  # dates or numbers that cannot meet, values that cannot both hold, affirmed and denied
    sides: str  # each side: its value, its claims and its independent sources
    claims: frozenset[str]  # the keys (or short ids) of the claims on every side

    def finding(self) -> Result:
        """As validate reports it: an Info finding on the thing, its path the property."""
        message = f"{self.kind}: {self.sides}"
        return Result(SHAPE, self.subject, self.property, "Info", message, ox.Literal(self.kind), "SPARQL")


def disagreements(store: ox.Store) -> list[Disagreement]:
    """Every disagreement of the record in store (a view: the query's clocks are left open)."""
    rows = store.query(str(get("contradictions").sparql))
    assert isinstance(rows, ox.QuerySolutions)
    out = []
    for row in rows:
        subject, prop, kind, sides, claims = (row[v] for v in ("subject", "property", "kind", "sides", "claims"))
        assert isinstance(subject, ox.NamedNode) and isinstance(prop, ox.NamedNode)
        out.append(Disagreement(subject, prop, kind.value, in_order(sides.value), frozenset(claims.value.split())))
    return out


def in_order(sides: str) -> str:
    """Sides, and the claims of each, in a stable order (GROUP_CONCAT promises none)."""
    ordered = [
        _SIDE_CLAIMS.sub(lambda m: "[" + ", ".join(sorted(m[1].split(", "))) + ";", s) for s in sides.split(" | ")
    ]
    return " | ".join(sorted(ordered))


def about(store: ox.Store, things: Iterable[Term], extra: Iterable[ox.Quad] = ()) -> list[Disagreement]:
    """The disagreements whose subject is one of things (entities, or frames of nodes
    without @id), judged with the quads of extra claims too (a traced statement)."""
    wanted = {t for t in things if isinstance(t, ox.NamedNode)}
    if not wanted:
        return []
    small = evidence(store, wanted)
    small.extend(extra)
    return [d for d in disagreements(small) if d.subject in wanted]


def evidence(store: ox.Store, things: set[ox.NamedNode]) -> ox.Store:
    """A dataset of the claims that can bear on things (those that frame a node as one, or
    take a stance on one), with their provenance, their sources' derivations and what the
    judgement reads of the vocabulary: the judgement gives the same rows for those things
    on it as on the whole record."""
    claims: set[ox.NamedNode] = set()
    for thing in things:  # index lookups: a query with the things as VALUES read every frame
        claims |= {q.graph_name for q in store.quads_for_pattern(None, FRAME, thing, None)}  # type: ignore[misc]
        for q in store.quads_for_pattern(None, ON, thing, None):
            if ox.Quad(q.subject, POSITION, DENIED, q.graph_name) in store:
                claims.add(q.graph_name)  # type: ignore[arg-type]
    small = ox.Store()
    quads = list(_vocabulary())
    sources: set[Term] = set()
    for claim in claims:
        quads += store.quads_for_pattern(None, None, None, claim)
        for q in store.quads_for_pattern(claim, None, None, PROVENANCE):
            quads.append(q)
            if q.predicate == _DERIVED:
                sources.add(q.object)  # type: ignore[arg-type]
    seen: set[Term] = set()
    while sources:  # each source and those it derives from: independence is counted by roots
        source = sources.pop()
        seen.add(source)
        for q in store.quads_for_pattern(source, _DERIVED, None, PROVENANCE):  # type: ignore[arg-type]
            quads.append(q)
            if q.object not in seen:
                sources.add(q.object)  # type: ignore[arg-type]
    small.extend(quads)
    return small


@cache
def _vocabulary() -> tuple[ox.Quad, ...]:
    """The quads of the shipped vocabulary the judgement reads (the projection holds the
    same: it is rebuilt when the vocabulary changes), read once."""
    text = ontology_graph().serialize(format="nt").encode()
    wanted = {p.value for p in _RULES}
    lifecycle = (RDF + "type", acc("Lifecycle").value)
    return tuple(
        ox.Quad(t.subject, t.predicate, t.object, VOCABULARY)
        for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)
        if t.predicate.value in wanted or (t.predicate.value, getattr(t.object, "value", None)) == lifecycle
    )
