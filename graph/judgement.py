"""The one judgement of which claims disagree, for every command that reports it.

It is written once, in standard SPARQL: the named query ``contradictions``
(queries/contradictions.rq), reading what the vocabulary says of each property
(acc:judged, acc:compatibleWith, acc:Lifecycle in ontology/accords.ttl). ``accords query
contradictions`` runs it as it is; validate reports its rows as Info findings, over the whole
record or, walking history, for the things each event touched; trace marks the claims on
each side. For a few things it runs over a small dataset of only the claims that can bear
on them (evidence()): the same rows for those things, without judging the whole record.

The projection may keep the judgement of the current record (graph:judgement, see
keep()): once a command has asked for it, every catch-up re-judges just the things its
events touched, and the current record's disagreements are read, not judged again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from accords.events.model import Event
from accords.graph.statement_rdf import FRAME
from accords.graph.terms import (
    HEAD_SEQ,
    ID,
    KEPT,
    META,
    PROVENANCE,
    RDF,
    VOCABULARY,
    XSD,
    Term,
    acc,
    claim_iri,
    event_iri,
    prov,
    source_iri,
)
from accords.ontology.shapecheck import Result
from accords.ontology.vocabulary import ACCSH, ontology_graph
from accords.queries.library import CLOCKS, get, with_clocks

if TYPE_CHECKING:
    from accords.graph.projection import View

QUERY = "contradictions"  # the named query that is the judgement
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
# What the judgement reads of a claim's provenance (the rest of it is not copied into evidence()).
_PROVENANCE = frozenset(
    [_DERIVED]
    + [
        acc(p)
        for p in ("seq", "publishedLatest", "polarity", "key", "validTime", "validFrom", "validUntil", "invalidatedSeq")
    ]
)
# What it reads of a source: what it derives from, and its kind (how the query finds sources).
_SOURCE = frozenset([_DERIVED, acc("sourceKind")])
ON, POSITION, DENIED = acc("on"), acc("position"), acc("denied")
RDF_TYPE, CLAIM, SOURCE, _JUDGED_SOURCE = ox.NamedNode(RDF + "type"), acc("Claim"), acc("Source"), acc("judgedSource")
_INVALIDATED = acc("invalidatedSeq")

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
    """Every disagreement of the record in store (a view: the query's clocks are left open),
    read from the projection's copy when it holds the judgement of its head."""
    return _rows(store.query(KEPT_ROWS) if judged(store) else _judge(store))  # type: ignore[arg-type]


def _judge(
    store: ox.Store, things: set[ox.NamedNode] | None = None, extra: Iterable[ox.Quad] = (), at: View | None = None
) -> Iterator[Any]:
    """The judgement's rows as the query gives them: of the whole record in store, or of
    things only, judged over their evidence (with extra quads: a traced statement); at a
    point of the clocks, or as the record stands."""
    text = str(get(QUERY).sparql)
    text = with_clocks(text, at) if at is not None else text
    if things is None:
        yield from store.query(text)  # type: ignore[misc]
        return
    small = evidence(store, things)
    small.extend(extra)
    yield from (row for row in small.query(text) if row["subject"] in things)  # type: ignore[union-attr]


def _rows(rows: Iterable[Any]) -> list[Disagreement]:
    out = []
    for row in rows:
        subject, prop, kind, sides, claims = (row[v] for v in COLUMNS)
        assert isinstance(subject, ox.NamedNode) and isinstance(prop, ox.NamedNode)
        out.append(Disagreement(subject, prop, kind.value, in_order(sides.value), frozenset(claims.value.split())))
    return out


# -- the projection's copy ------------------------------------------------------------------

COLUMNS = ("subject", "property", "kind", "sides", "claims")
_ROW = {column: acc("judgement" + column.title()) for column in COLUMNS}
_SEQ = acc("judgedSeq")

KEPT_ROWS = f"""SELECT ?subject ?property ?kind ?sides ?claims WHERE {{
  GRAPH <{KEPT.value}> {{
    ?row <{_ROW["subject"].value}> ?subject ; <{_ROW["property"].value}> ?property ; <{_ROW["kind"].value}> ?kind ;
         <{_ROW["sides"].value}> ?sides ; <{_ROW["claims"].value}> ?claims
  }}
}}
ORDER BY ?subject ?property ?kind"""
"""The rows the projection keeps, as the contradictions query gives them (columns, order)."""


def judged(store: ox.Store) -> bool:
    """Whether store keeps the judgement of the head it reflects."""
    head = next(iter(store.quads_for_pattern(META, HEAD_SEQ, None, META)), None)
    return head is not None and isinstance(head.object, ox.Literal) and str(kept_seq(store)) == head.object.value


def kept_seq(store: ox.Store) -> int | None:
    """The seq whose judgement the projection keeps, None if it keeps none."""
    kept = next(iter(store.quads_for_pattern(KEPT, _SEQ, None, KEPT)), None)
    return int(kept.object.value) if kept is not None and isinstance(kept.object, ox.Literal) else None


def keep(store: ox.Store, seq: int, events: Iterable[Event] | None = None) -> None:
    """Bring the kept judgement up to seq: the whole record judged (events None), or the
    things the events since the kept seq touched judged again."""
    gone = None if events is None else touched(store, events)
    quads = _kept(_judge(store, gone) if gone is None or gone else ())
    if gone is None:
        store.remove_graph(KEPT)
    else:
        for thing in gone:  # the rows of each thing judged again, and the seq they were kept at
            for row in list(store.quads_for_pattern(None, _ROW["subject"], thing, KEPT)):
                for quad in list(store.quads_for_pattern(row.subject, None, None, KEPT)):
                    store.remove(quad)
        for quad in list(store.quads_for_pattern(KEPT, _SEQ, None, KEPT)):
            store.remove(quad)
    store.extend(quads + [ox.Quad(KEPT, _SEQ, ox.Literal(str(seq), datatype=ox.NamedNode(XSD + "integer")), KEPT)])


def _kept(rows: Iterable[Any]) -> list[ox.Quad]:
    """Rows of the judgement as the projection keeps them in graph:judgement."""
    quads: list[ox.Quad] = []
    for found in rows:
        name = "|".join(found[c].value for c in ("subject", "property", "kind"))
        node = ox.NamedNode(ID + "judgement/" + hashlib.sha256(name.encode()).hexdigest()[:16])
        quads += [ox.Quad(node, _ROW[c], found[c], KEPT) for c in COLUMNS]
    return quads


def touched(store: ox.Store, events: Iterable[Event]) -> set[ox.NamedNode]:
    """The things whose disagreements events can change: those the claims they record,
    retract or correct frame or deny, and those of every claim resting on a source whose
    derivation a person judged or undid (how many independent sources each side has).
    (Nothing else changes what the query reads of the current record: sources are
    registered before their claims, and merges are not judged.)"""
    claims: list[ox.NamedNode] = []
    for event in events:
        if event.type == "ClaimRecorded":
            claims.append(claim_iri(event.id))
        elif event.type in ("ClaimRetracted", "ClaimCorrected"):
            claims.append(claim_iri(event.data()["claim"]))
        elif event.type in ("DerivationJudged", "DerivationUndone"):
            claims += resting_on(store, judged_source(store, event))
    return _framed(store, claims)


def judged_source(store: ox.Store, event: Event) -> ox.NamedNode:
    """The source whose derivation a DerivationJudged or DerivationUndone event concerns."""
    body = event.data()
    if event.type == "DerivationJudged":
        return source_iri(body["source"])
    found = next(iter(store.quads_for_pattern(event_iri(body["judgement"]), _JUDGED_SOURCE, None, PROVENANCE)), None)
    return found.object if found is not None and isinstance(found.object, ox.NamedNode) else source_iri("")


def resting_on(store: ox.Store, source: ox.NamedNode) -> list[ox.NamedNode]:
    """The claims of a source and of every source that derives from it."""
    claims: list[ox.NamedNode] = []
    seen: set[ox.NamedNode] = set()
    todo = [source]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for q in store.quads_for_pattern(None, _DERIVED, current, PROVENANCE):
            if not isinstance(q.subject, ox.NamedNode):
                continue
            if ox.Quad(q.subject, RDF_TYPE, CLAIM, PROVENANCE) in store:
                claims.append(q.subject)
            elif ox.Quad(q.subject, RDF_TYPE, SOURCE, PROVENANCE) in store:
                todo.append(q.subject)
    return claims


def _framed(store: ox.Store, claims: Iterable[ox.NamedNode]) -> set[ox.NamedNode]:
    """The things claims frame a node as, or take a stance on."""
    things: set[ox.NamedNode] = set()
    for claim in claims:
        for q in store.quads_for_pattern(None, FRAME, None, claim):
            things.add(q.object)  # type: ignore[arg-type]
        for q in store.quads_for_pattern(None, ON, None, claim):
            if isinstance(q.object, ox.NamedNode):
                things.add(q.object)
    return things


# The claims that stand in a view of the clocks and not in the record as it stands, or the
# reverse: recorded, published or valid only after the view's point (out of it), or retracted
# or corrected since (in it). The filter is the one every named query places claims with.
CHANGED = f"""PREFIX acc: <https://w3id.org/accords/ns#>
PREFIX graph: <https://w3id.org/accords/graph/>
SELECT ?claim WHERE {{
  {CLOCKS}
  GRAPH graph:provenance {{ ?claim acc:seq ?seq ; acc:publishedLatest ?published ; acc:polarity ?polarity }}
  BIND (COALESCE(?seq <= ?as_of, true) && COALESCE(?published <= ?known_by, true)
        && NOT EXISTS {{
          GRAPH graph:provenance {{
            {{ ?claim acc:validFrom ?after FILTER (?after > ?valid_at) }}
            UNION {{ ?claim acc:validUntil ?before FILTER (?before < ?valid_at) }}
            UNION {{ ?claim acc:invalidatedSeq ?gone FILTER (COALESCE(?gone <= ?as_of, true)) }}
          }}
        }} AS ?in_view)
  BIND (NOT EXISTS {{ GRAPH graph:provenance {{ ?claim acc:invalidatedSeq ?ever }} }} AS ?in_record)
  FILTER (?in_view != ?in_record)
}}"""


def in_view(store: ox.Store, at: View) -> ox.Store:
    """The judgement of a view of the clocks, in a dataset of its own as the projection keeps
    it (KEPT_ROWS reads it), from the kept judgement of the record as it stands: a thing all
    of whose claims stand in the view as they stand now keeps its rows; the things of the
    claims that differ are judged again, by the query with the view's clocks, over their
    evidence in the view. store keeps the judgement of its head (judged())."""
    changed = {row["claim"] for row in store.query(with_clocks(CHANGED, at))}  # type: ignore[union-attr]
    things = _framed(store, changed)

    def stands(claim: ox.NamedNode) -> bool:  # in the view: standing now, unless it changed
        now = next(iter(store.quads_for_pattern(claim, _INVALIDATED, None, PROVENANCE)), None) is None
        return now != (claim in changed)

    small = evidence(store, things, stands)
    judged = [r for r in small.query(with_clocks(str(get(QUERY).sparql), at)) if r["subject"] in things]  # type: ignore[union-attr]
    out = ox.Store()
    kept = [r for r in store.query(KEPT_ROWS) if r["subject"] not in things]  # type: ignore[union-attr]
    out.extend(_kept(kept) + _kept(judged))
    return out


def in_order(sides: str) -> str:
    """Sides, and the claims of each, in a stable order (GROUP_CONCAT promises none)."""
    ordered = [
        _SIDE_CLAIMS.sub(lambda m: "[" + ", ".join(sorted(m[1].split(", "))) + ";", s) for s in sides.split(" | ")
    ]
    return " | ".join(sorted(ordered))


def about(
    store: ox.Store, things: Iterable[Term], extra: Iterable[ox.Quad] = (), at: View | None = None
) -> list[Disagreement]:
    """The disagreements whose subject is one of things (entities, or frames of nodes
    without @id), judged with the quads of extra claims too (a traced statement), at a
    point of the clocks (at) or as the record stands."""
    wanted = {t for t in things if isinstance(t, ox.NamedNode)}
    return _rows(_judge(store, wanted, extra, at)) if wanted else []


def evidence(
    store: ox.Store, things: set[ox.NamedNode], admit: Callable[[ox.NamedNode], bool] | None = None
) -> ox.Store:
    """A dataset of the claims that can bear on things (those that frame a node as one, or
    take a stance on one; with admit, those it admits), with their provenance, their
    sources' derivations and what the judgement reads of the vocabulary: the judgement
    gives the same rows for those things on it as on the whole record."""
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
        if admit is not None and not admit(claim):
            continue
        quads += store.quads_for_pattern(None, None, None, claim)
        for predicate in _PROVENANCE:  # one lookup each: faster than reading all it says and choosing
            for q in store.quads_for_pattern(claim, predicate, None, PROVENANCE):
                quads.append(q)
                if predicate == _DERIVED:
                    sources.add(q.object)  # type: ignore[arg-type]
    seen: set[Term] = set()
    while sources:  # each source and those it derives from: independence is counted by roots
        source = sources.pop()
        seen.add(source)
        for q in store.quads_for_pattern(source, None, None, PROVENANCE):  # type: ignore[arg-type]
            if q.predicate in _SOURCE:
                quads.append(q)
            if q.predicate == _DERIVED and q.object not in seen:
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
