"""The property-graph projection: the log folded into Neo4j (DESIGN §5), batch by batch.

The same facts as the RDF fold (graph/fold.py), as nodes and relationships:

- each claim's statement: subjects and IRI objects are ``:Entity`` nodes keyed by
  ``iri``, with a label per ontology class (``:Agreement``, ``:State``…); IRI-valued
  properties are relationships named after the property (acc:party -> ``:PARTY``);
  literal and vocabulary values are ``(:Claim)-[:STATES {property, value}]->(entity)``
  and, while believed, properties of the entity (several believed values: a list);
- every entity node (as a subject) and relationship carries ``claims`` (every claim
  stating it, in log order), ``believed`` (now) and the seq intervals in which it was
  believed: ``believed_from[i] <= seq < believed_until[i]``, the last interval open
  when ``believed_until`` is one shorter. A fact is believed while at least one active
  affirmed claim states it, exactly as the RDF belief graph. States are vocabulary:
  believed from seq 0;
- ``(:Claim)-[:FROM]->(:Source)``, ``-[:ATTRIBUTED_TO]->(:Speaker)``, ``-[:ABOUT {type}]->``,
  ``-[:INVALIDATED_BY]->(:Retraction|:Correction)``, ``(:Source)-[:DERIVED_FROM]->(:Source)``;
- ``(:AccordsProjection {name: 'head', seq, hash})``: the log head the graph reflects.

A fact stated --as-of N: ``any(i IN range(0, size(x.believed_from) - 1) WHERE
x.believed_from[i] <= $as_of AND coalesce(x.believed_until[i], $as_of + 1) > $as_of)``.

Every batch of events is written with the head in one transaction, after checking the
head it continues, so the graph never reflects half a batch. Writes set absolute
values computed here from the claims, so a batch means the same however it is split.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pyoxigraph as ox

from accords.errors import ConflictError, StoreError
from accords.events.model import EMPTY, Event, Head
from accords.events.store import Recorder
from accords.graph.cypher import Graph
from accords.graph.statements import entity_iri, statement_triples
from accords.graph.terms import ACC, TYPE, XSD, claim_iri, source_iri

BATCH = 1000  # events per transaction: fastest of 1,000 / 5,000 / 20,000 in bench/neo4j_bench.py
CACHE_LIMIT = 2_000_000  # remembered items before the fold forgets and asks Neo4j again
PROVENANCE_LABELS = ("Claim", "Source", "Speaker", "Retraction", "Correction",
                     "SourceCorrection", "Merge", "MergeUndo", "Review", "AccordsProjection")  # fmt: skip
RESERVED = {"iri", "claims", "believed", "believed_from", "believed_until", "types", "label"}
_IDENT = re.compile(r"^[A-Z][A-Za-z0-9_]{0,63}$")


# -- the vocabulary as labels and relationship types ---------------------------------


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


@cache
def entity_labels() -> frozenset[str]:
    """The ontology's classes of things a statement describes (not its concept schemes)."""
    from rdflib import OWL, RDF
    from rdflib.namespace import SKOS

    g = _ontology()
    return frozenset(
        _local(str(c)) for c in g.subjects(RDF.type, OWL.Class)
        if str(c).startswith(ACC) and (c, RDF.type, SKOS.ConceptScheme) not in g
    ) - {"Claim", "Source"}  # fmt: skip


@cache
def relationship_types() -> frozenset[str]:
    """Relationship types: the ontology's object properties in upper snake case."""
    from rdflib import OWL, RDF

    return frozenset(_snake(_local(str(p))) for p in _ontology().subjects(RDF.type, OWL.ObjectProperty)
                     if str(p).startswith(ACC)) | {"SAME_AS", "RELATED"}  # fmt: skip


def _ontology() -> Any:
    from accords.ontology.vocabulary import ontology_graph

    return ontology_graph()


def ident(name: str, allowed: frozenset[str]) -> str:
    """A label or type checked against the whitelist, safe to write into query text."""
    if name not in allowed or not _IDENT.match(name):
        raise ValueError(f"{name!r} is not a known label or relationship type")
    return name


@cache
def _state_names() -> dict[str, str]:
    from accords.ontology.states import state_labels

    label = "http://www.w3.org/2000/01/rdf-schema#label"
    return {str(t.subject.value): t.object.value
            for t in ox.parse(state_labels().encode(), format=ox.RdfFormat.N_TRIPLES)
            if t.predicate.value == label}  # fmt: skip


# -- a statement as property-graph items ------------------------------------------------


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


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


@dataclass(frozen=True, slots=True)
class Items:
    """What one statement says, as the items the graph keeps."""

    types: list[tuple[str, str]]  # (subject iri, type name)
    literals: list[tuple[str, str, Any]]  # (subject iri, property, value)
    relationships: list[tuple[str, str, str, str]]  # (subject iri, TYPE, property iri, object iri)
    subjects: list[str]
    objects: list[str]


def _property(iri: str) -> str:
    name = _local(iri)
    return "acc_" + name if name in RESERVED else name


def items(claim_id: str, statement: dict[str, Any]) -> Items:
    out = Items([], [], [], [], [])
    types = relationship_types()
    for s, p, o in statement_triples(statement, claim_iri(claim_id).value + "/statement"):
        subject = s.value
        if subject not in out.subjects:
            out.subjects.append(subject)
        if p == TYPE:
            out.types.append((subject, _local(o.value) if o.value.startswith(ACC) else o.value))
        elif isinstance(o, ox.Literal):
            out.literals.append((subject, _property(p.value), _value(o)))
        elif isinstance(o, ox.NamedNode) and o.value.startswith(ACC):
            out.literals.append((subject, _property(p.value), _local(o.value)))  # a vocabulary term
        elif isinstance(o, ox.NamedNode):
            rtype = _snake(_local(p.value))
            known = rtype in types and _IDENT.match(rtype)
            out.relationships.append((subject, rtype if known else "RELATED", "" if known else p.value, o.value))
            if o.value not in out.objects:
                out.objects.append(o.value)
    return out


# -- the fold's memory ---------------------------------------------------------------------


@dataclass(slots=True)
class ClaimInfo:
    seq: int
    affirmed: bool
    end: int | None = None  # seq of its first retraction or correction

    @property
    def believed(self) -> bool:
        return self.affirmed and self.end is None


@dataclass(slots=True)
class NodeState:
    claims: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    labels: set[str] = field(default_factory=set)
    literals: dict[tuple[str, tuple[str, str]], tuple[Any, list[str]]] = field(default_factory=dict)


def intervals(claims: Iterable[str], info: dict[str, ClaimInfo]) -> tuple[list[int], list[int]]:
    """The seq intervals in which at least one of claims was believed."""
    spans = sorted((i.seq, i.end) for c in claims if (i := info[c]).affirmed and (i.end is None or i.end > i.seq))
    merged: list[list[int | None]] = []
    for start, end in spans:
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last = merged[-1][1]
            merged[-1][1] = None if last is None or end is None else max(last, end)
        else:
            merged.append([start, end])
    return [s for s, _ in merged], [e for _, e in merged if e is not None]  # type: ignore[misc]


def _belief(claims: list[str], info: dict[str, ClaimInfo], always: bool = False) -> dict[str, Any]:
    starts, ends = ([0], []) if always else intervals(claims, info)
    return {"claims": claims, "believed": len(starts) > len(ends), "believed_from": starts, "believed_until": ends}


@dataclass
class Plan:
    """The writes of one batch: rows for each parameterised query."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)
    relationships: dict[tuple[str, bool], list[dict[str, Any]]] = field(default_factory=dict)  # (type, new)
    undone: list[dict[str, Any]] = field(default_factory=list)

    def add(self, query: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(query, []).append(row)


Q = {
    "source": "UNWIND $rows AS row MERGE (s:Source {id: row.id}) SET s += row.props",
    "derived": "UNWIND $rows AS row MATCH (s:Source {id: row.id}) MATCH (u:Source {id: row.upstream}) "
               "MERGE (s)-[:DERIVED_FROM]->(u)",
    "speaker": "UNWIND $rows AS row MERGE (:Speaker {name: row.name})",
    # Claims are new in their batch (the head check says so): CREATE them and what they say.
    "claim": "UNWIND $rows AS row MATCH (s:Source {id: row.source}) MATCH (sp:Speaker {name: row.speaker}) "
             "CREATE (c:Claim) SET c = row.props CREATE (c)-[:FROM]->(s) CREATE (c)-[:ATTRIBUTED_TO]->(sp) "
             "WITH c, row CALL (c, row) { UNWIND row.about AS ab MATCH (n:Entity {iri: ab.iri}) "
             "CREATE (c)-[:ABOUT {type: ab.type}]->(n) } "
             "CALL (c, row) { UNWIND row.states AS st MATCH (n:Entity {iri: st.iri}) "
             "CREATE (c)-[:STATES {property: st.property, value: st.value}]->(n) }",
    "node": "UNWIND $rows AS row MERGE (n:Entity {iri: row.iri}) SET n += row.props",
    "new_node": "UNWIND $rows AS row CREATE (n:Entity) SET n = row.props, n.iri = row.iri",
    "status": "UNWIND $rows AS row MATCH (c:Claim {id: row.id}) SET c += row.props",
    "Retraction": "UNWIND $rows AS row MERGE (e:Retraction {id: row.id}) SET e += row.props "
                  "WITH e, row MATCH (c:Claim {id: row.claim}) MERGE (c)-[:INVALIDATED_BY]->(e)",
    "Correction": "UNWIND $rows AS row MERGE (e:Correction {id: row.id}) SET e += row.props "
                  "WITH e, row MATCH (c:Claim {id: row.claim}) MERGE (c)-[:INVALIDATED_BY]->(e) "
                  "WITH e, row MATCH (r:Claim {id: row.replacement}) MERGE (e)-[:REPLACEMENT]->(r)",
    **{f"cites_{label}": f"UNWIND $rows AS row MATCH (e:{label} {{id: row.id}}) "
                         "MATCH (s:Source {id: row.source}) MERGE (e)-[:CITES]->(s)"
       for label in ("Retraction", "Correction", "Review")},
    "source_correction": "UNWIND $rows AS row MERGE (e:SourceCorrection {id: row.id}) SET e += row.props "
                         "WITH e, row MATCH (s:Source {id: row.source}) MERGE (s)-[:CORRECTED_BY]->(e) "
                         "SET s.retracted_by_publisher = coalesce(s.retracted_by_publisher, false) OR row.retracted",
    "review": "UNWIND $rows AS row MERGE (e:Review {id: row.id}) SET e += row.props "
              "WITH e, row MATCH (c:Claim {id: row.claim}) MERGE (e)-[:REVIEWS]->(c)",
    "merge": "UNWIND $rows AS row MERGE (m:Merge {id: row.id}) SET m += row.props",
    "same_as": "UNWIND $rows AS row MATCH (a:Entity {iri: row.a}) MATCH (b:Entity {iri: row.b}) "
               "MERGE (a)-[r:SAME_AS {merge: row.merge}]->(b) "
               "SET r.believed = true, r.believed_from = [row.seq], r.believed_until = []",
}  # fmt: skip
# The order queries run in within a batch: what a row matches is written before it.
ORDER = ["source", "derived", "speaker", "node", "new_node", "claim", "status",
         "Retraction", "Correction", "cites_Retraction", "cites_Correction", "source_correction", "review", "cites_Review", "merge", "same_as"]  # fmt: skip
UNDO = ("UNWIND $rows AS row MERGE (u:MergeUndo {id: row.id}) SET u += row.props "
        "WITH u, row MATCH (m:Merge {id: row.merge}) MERGE (m)-[:UNDONE_BY]->(u) "
        "WITH row, m MATCH (a:Entity)-[r:SAME_AS]->(b:Entity) "
        "WHERE a.iri IN m.entities AND b.iri IN m.entities AND r.believed "
        "SET r.believed = false, r.believed_until = [row.seq]")  # fmt: skip
HEAD = ("MERGE (p:AccordsProjection {name: 'head'}) ON CREATE SET p.seq = 0, p.hash = $genesis "
        "SET p.seq = p.seq RETURN p.seq AS seq, p.hash AS hash")  # fmt: skip
SET_HEAD = "MATCH (p:AccordsProjection {name: 'head'}) SET p.seq = $seq, p.hash = $hash, p.updated_at = $at"


def _record(event: Event) -> dict[str, Any]:
    out = {"id": event.id, "seq": event.seq, "hash": event.hash,
           "recorded_at": event.recorded_at, "recorded_by": event.recorded_by}  # fmt: skip
    if event.key is not None:
        out["key"] = event.key
    return out


def _dates(text: str, low: str, high: str) -> dict[str, dt.date]:
    from accords.events.dates import bounds

    b = bounds(text)
    return {k: v for k, v in ((low, b.earliest), (high, b.latest)) if v is not None}


class Fold:
    """Plans each batch's writes from the events and what the graph already holds."""

    def __init__(self, graph: Graph, fresh: bool) -> None:
        self.graph = graph
        self.fresh = fresh  # the graph held nothing when we began, and we forgot nothing since
        self.claims: dict[str, ClaimInfo] = {}
        self.nodes: dict[str, NodeState] = {}
        self.rels: dict[tuple[str, str, str, str], list[str]] = {}
        self.new: set[Any] = set()  # nodes and relationships not in Neo4j yet: CREATE, not MERGE

    # -- reading what earlier runs wrote --------------------------------------------

    def _fetch_claims(self, ids: Iterable[str], statements: bool = False) -> dict[str, Any]:
        want = [i for i in set(ids) if i not in self.claims or statements]
        if not want or (self.fresh and not statements):
            return {}
        _, rows = self.graph.read(
            "UNWIND $ids AS id MATCH (c:Claim {id: id}) RETURN c.id AS id, c.seq AS seq, "
            "c.polarity AS polarity, c.retracted_seq AS end, c.statement AS statement", {"ids": want})  # fmt: skip
        for r in rows:
            self.claims.setdefault(r["id"], ClaimInfo(r["seq"], r["polarity"] == "affirmed", r["end"]))
        return {r["id"]: json.loads(r["statement"]) for r in rows}

    def _fetch_items(self, nodes: set[str], rels: set[tuple[str, str, str, str]]) -> None:
        nodes = {n for n in nodes if n not in self.nodes}
        rels = {r for r in rels if r not in self.rels}
        if not self.fresh:
            wanted: list[str] = []
            if nodes:
                _, rows = self.graph.read(
                    "UNWIND $iris AS iri MATCH (n:Entity {iri: iri}) RETURN n.iri AS iri, n.claims AS claims, "
                    "n.types AS types, labels(n) AS labels, "
                    "[(c:Claim)-[s:STATES]->(n) | [c.id, s.property, s.value]] AS literals", {"iris": sorted(nodes)})  # fmt: skip
                for r in rows:
                    state = NodeState(list(r["claims"] or []), list(r["types"] or []), set(r["labels"]))
                    for claim, prop, value in r["literals"]:
                        state.literals.setdefault((prop, vkey(value)), (_native(value), []))[1].append(claim)
                        wanted.append(claim)
                    self.nodes[r["iri"]] = state
                    wanted += state.claims
            by_type: dict[tuple[str, str], list[dict[str, str]]] = {}
            for a, t, p, b in rels:
                by_type.setdefault((t, p), []).append({"a": a, "b": b})
            for (t, p), rows_in in by_type.items():
                rtype = ident(t, relationship_types())
                where = " WHERE r.property = $p" if rtype == "RELATED" else ""
                _, rows = self.graph.read(
                    f"UNWIND $rows AS row MATCH (a:Entity {{iri: row.a}})-[r:{rtype}]->(b:Entity {{iri: row.b}})"
                    f"{where} RETURN row.a AS a, row.b AS b, r.claims AS claims", {"rows": rows_in, "p": p})
                for r in rows:
                    self.rels[(r["a"], t, p, r["b"])] = list(r["claims"] or [])
                    wanted += r["claims"] or []
            self._fetch_claims(wanted)
        for n in nodes - self.nodes.keys():
            self.nodes[n] = NodeState()
            self.new.add(n)
        for key in rels - self.rels.keys():
            self.rels[key] = []
            self.new.add(key)

    # -- one batch --------------------------------------------------------------------

    def plan(self, events: list[Event]) -> Plan:
        if len(self.nodes) + len(self.rels) + len(self.claims) > CACHE_LIMIT:
            self.nodes.clear()
            self.rels.clear()
            self.claims.clear()
            self.fresh = False
        bodies = [e.data() for e in events]
        statements = {e.id: b["statement"] for e, b in zip(events, bodies) if e.type == "ClaimRecorded"}
        targets = {b["claim"] for e, b in zip(events, bodies)
                   if e.type in ("ClaimRetracted", "ClaimCorrected") and b["claim"] not in statements}  # fmt: skip
        statements.update(self._fetch_claims(targets, statements=True))
        said = {c: items(c, s) for c, s in statements.items()}
        nodes: set[str] = set()
        rels: set[tuple[str, str, str, str]] = set()
        for it in said.values():
            nodes.update(it.subjects, it.objects)
            rels.update((s, t, p, o) for s, t, p, o in it.relationships)
        for e, b in zip(events, bodies):
            if e.type == "EntitiesMerged":
                nodes.update(entity_iri(x).value for x in b["entities"])
        self._fetch_items(nodes, rels)
        plan = Plan()
        touched: set[str] = set()
        touched_rels: set[tuple[str, str, str, str]] = set()
        status: dict[str, dict[str, Any]] = {}
        for event, body in zip(events, bodies):
            getattr(self, "_" + event.type)(event, body, plan, said, touched, touched_rels, status)
        for claim, props in status.items():
            plan.add("status", {"id": claim, "props": props})
        self._write_items(plan, touched, touched_rels)
        return plan

    def _write_items(self, plan: Plan, touched: set[str], rels: set[tuple[str, str, str, str]]) -> None:
        names = _state_names()
        for iri in sorted(touched):
            state = self.nodes[iri]
            is_state = iri in names
            props = _belief(state.claims, self.claims, always=is_state)
            props["types"] = state.types
            if is_state:
                props["label"] = names[iri]
            values: dict[str, list[Any]] = {}
            for (prop, _), (value, claims) in state.literals.items():
                values.setdefault(prop, [])
                if any(self.claims[c].believed for c in claims):
                    values[prop].append(value)
            for prop, found in values.items():
                if len(found) > 1 and len({type(v) for v in found}) > 1:
                    found = [vkey(v)[1] for v in found]  # a Neo4j list holds one type
                props[prop] = None if not found else found[0] if len(found) == 1 else sorted(found)
            plan.add("new_node" if iri in self.new else "node", {"iri": iri, "props": props})
            wanted = ({"State"} if is_state else set()) | {t for t in state.types if t in entity_labels()}
            for label in wanted - state.labels:
                plan.labels.setdefault(label, []).append(iri)
            state.labels |= wanted
        for key in sorted(rels):
            a, t, p, b = key
            plan.relationships.setdefault((t, key in self.new), []).append(
                {"a": a, "b": b, "p": p, "props": {**_belief(self.rels[key], self.claims), **({"property": p} if p else {})}})

    # -- the events ---------------------------------------------------------------------

    def _SourceRegistered(self, event: Event, body: dict[str, Any], plan: Plan, *_: Any) -> None:
        props = {**_record(event), "iri": source_iri(event.id).value}
        for name in ("title", "kind", "publisher", "published", "url", "language", "author",
                     "archive_url", "content_hash", "retrieved", "note"):  # fmt: skip
            if name in body:
                props[name] = body[name]
        if "published" in body:
            props.update(_dates(body["published"], "published_earliest", "published_latest"))
        plan.add("source", {"id": event.id, "props": props})
        for upstream in body.get("derived_from", []):
            plan.add("derived", {"id": event.id, "upstream": upstream})

    def _ClaimRecorded(self, event: Event, body: dict[str, Any], plan: Plan, said: dict[str, Items],
                       touched: set[str], touched_rels: set[Any], status: dict[str, Any]) -> None:  # fmt: skip
        c, it = event.id, said[event.id]
        affirmed = body.get("polarity", "affirmed") == "affirmed"
        self.claims[c] = ClaimInfo(event.seq, affirmed)
        props = {**_record(event), "iri": claim_iri(c).value, "quote": body["quote"],
                 "certainty": body["certainty"], "polarity": body.get("polarity", "affirmed"),
                 "status": "active", "types": list(dict.fromkeys(t for _, t in it.types)),
                 "statement": json.dumps(body["statement"], ensure_ascii=False)}  # fmt: skip
        for name in ("valid_time", "note"):
            if name in body:
                props[name] = body[name]
        if "valid_time" in body:
            props.update(_dates(body["valid_time"], "valid_from", "valid_until"))
        if "selector" in body:
            props["selector"] = json.dumps(body["selector"], sort_keys=True)
        plan.add("speaker", {"name": body["attributed_to"]})
        row = {"props": props, "source": body["source"], "speaker": body["attributed_to"],
               "about": [{"iri": subject, "type": type_} for subject, type_ in it.types],
               "states": [{"iri": subject, "property": prop, "value": value} for subject, prop, value in it.literals]}
        plan.add("claim", row)
        for subject in it.subjects:
            if c not in self.nodes[subject].claims:
                self.nodes[subject].claims.append(c)
        for subject, type_ in it.types:
            state = self.nodes[subject]
            if type_ not in state.types:
                state.types.append(type_)
        for subject, prop, value in it.literals:
            self.nodes[subject].literals.setdefault((prop, vkey(value)), (value, []))[1].append(c)
        for key in it.relationships:
            self.rels[key].append(c)
        touched.update(it.subjects, it.objects)
        touched_rels.update(it.relationships)

    def _invalidate(self, event: Event, body: dict[str, Any], plan: Plan, said: dict[str, Items],
                    touched: set[str], touched_rels: set[Any], status: dict[str, Any], label: str) -> None:  # fmt: skip
        c = body["claim"]
        info = self.claims[c]
        kind = "retracted" if label == "Retraction" else "corrected"
        props = {**_record(event), "reason": body["reason"]}
        for name in ("note", "replacement", "source"):
            if name in body:
                props[name] = claim_iri(body[name]).value if name == "replacement" else body[name]
        row = {"id": event.id, "claim": c, "props": props, "replacement": body.get("replacement")}
        plan.add(label, row)
        if "source" in body:
            plan.add(f"cites_{label}", {"id": event.id, "source": body["source"]})
        first = info.end is None
        if first:
            info.end = event.seq
        update = status.setdefault(c, {})
        update.update(status=kind, reason=body["reason"])
        if first:
            update["retracted_seq"] = event.seq
        it = said[c]
        touched.update(it.subjects, it.objects)
        touched_rels.update(it.relationships)

    def _ClaimRetracted(self, event: Event, body: dict[str, Any], plan: Plan, said: dict[str, Items],
                        touched: set[str], touched_rels: set[Any], status: dict[str, Any]) -> None:  # fmt: skip
        self._invalidate(event, body, plan, said, touched, touched_rels, status, "Retraction")

    def _ClaimCorrected(self, event: Event, body: dict[str, Any], plan: Plan, said: dict[str, Items],
                        touched: set[str], touched_rels: set[Any], status: dict[str, Any]) -> None:  # fmt: skip
        self._invalidate(event, body, plan, said, touched, touched_rels, status, "Correction")

    def _SourceCorrected(self, event: Event, body: dict[str, Any], plan: Plan, *_: Any) -> None:
        props = {**_record(event), "correction": body["correction"], "retracted": bool(body.get("retracted"))}
        plan.add("source_correction", {"id": event.id, "source": body["source"], "props": props,
                                       "retracted": bool(body.get("retracted"))})  # fmt: skip

    def _EntitiesMerged(self, event: Event, body: dict[str, Any], plan: Plan, said: Any, touched: set[str], *_: Any) -> None:
        entities = [entity_iri(x).value for x in body["entities"]]
        props = {**_record(event), "judged_by": body["judged_by"], "reason": body["reason"], "entities": entities}
        plan.add("merge", {"id": event.id, "props": props})
        touched.update(entities)
        for other in entities[1:]:
            plan.add("same_as", {"a": entities[0], "b": other, "merge": event.id, "seq": event.seq})

    def _MergeUndone(self, event: Event, body: dict[str, Any], plan: Plan, *_: Any) -> None:
        props = {**_record(event), "judged_by": body["judged_by"], "reason": body["reason"], "merge": body["merge"]}
        plan.undone.append({"id": event.id, "merge": body["merge"], "seq": event.seq, "props": props})

    def _ClaimReviewed(self, event: Event, body: dict[str, Any], plan: Plan, *_: Any) -> None:
        props = {**_record(event), "rating": body["rating"], "reviewer": body["reviewer"]}
        if "note" in body:
            props["note"] = body["note"]
        plan.add("review", {"id": event.id, "claim": body["claim"], "props": props})
        for s in body.get("sources", []):
            plan.add("cites_Review", {"id": event.id, "source": s})


# -- the projection ------------------------------------------------------------------------


def _constraints() -> list[str]:
    keyed = [("Entity", "iri")] + [(label, "iri") for label in sorted(entity_labels())]
    keyed += [(label, "name" if label in ("Speaker", "AccordsProjection") else "id") for label in PROVENANCE_LABELS]
    return [f"CREATE CONSTRAINT accords_{label.lower()}_{key} IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE" for label, key in keyed]  # fmt: skip


def _batches(events: Iterator[Event], size: int) -> Iterator[list[Event]]:
    """Batches of size events; a merge undo ends its batch (it rereads what came before)."""
    batch: list[Event] = []
    for event in events:
        batch.append(event)
        if len(batch) >= size or event.type == "MergeUndone":
            yield batch
            batch = []
    if batch:
        yield batch


Progress = Callable[[int, int], None]


class Neo4jProjection:
    """The log's property graph in one Neo4j database, and the head it reflects."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def head(self) -> Head:
        _, rows = self.graph.read("MATCH (p:AccordsProjection {name: 'head'}) RETURN p.seq AS seq, p.hash AS hash")
        return Head(rows[0]["seq"], rows[0]["hash"]) if rows else EMPTY

    def ensure_schema(self) -> None:
        with self.graph.session() as session:
            for statement in _constraints():
                session.run(statement).consume()

    def clear(self) -> None:
        """Delete what accords projected (and nothing else in the database)."""
        labels = " OR ".join(f"n:{label}" for label in ("Entity", *PROVENANCE_LABELS))
        with self.graph.session() as session:
            session.run(f"MATCH (n) WHERE {labels} CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 5000 ROWS").consume()

    def check(self, recorder: Recorder) -> Head:
        """The head the graph reflects, if it is a state of this log; StoreError if not."""
        head = self.head()
        if head.empty:
            return head
        hint = "it was projected from another log: rebuild it with accords project neo4j --rebuild"
        log_head = recorder.head()
        if head.seq > log_head.seq:
            raise StoreError(f"Neo4j reflects seq {head.seq}, but the log has only {log_head.seq} events", hint)
        event = next(iter(recorder.read(head.seq, head.seq)))
        if event.hash != head.hash:
            raise StoreError(f"Neo4j reflects seq {head.seq} ({head.hash[:12]}), "
                             f"but this log's event {head.seq} is {event.hash[:12]}", hint)  # fmt: skip
        return head

    def project(self, recorder: Recorder, rebuild: bool = False, batch: int = BATCH,
                progress: Progress | None = None) -> Head:  # fmt: skip
        """Fold the events after the recorded head into the graph, batch by batch."""
        self.ensure_schema()
        if rebuild:
            self.clear()
        head = self.check(recorder)
        target = recorder.head().seq
        fold = Fold(self.graph, fresh=head.empty)
        for events in _batches(recorder.read(head.seq + 1), batch):
            plan = fold.plan(events)
            last = events[-1]
            self._write(plan, head, Head(last.seq, last.hash, last.recorded_at))
            fold.new.clear()
            head = Head(last.seq, last.hash)
            if progress:
                progress(head.seq, target)
        return head

    def _write(self, plan: Plan, expected: Head, new: Head) -> None:
        def work(tx: Any) -> None:
            found = tx.run(HEAD, genesis=EMPTY.hash).single()
            if (found["seq"], found["hash"]) != (expected.seq, expected.hash):
                raise ConflictError(
                    f"Neo4j moved to seq {found['seq']} while projecting from seq {expected.seq}",
                    "another accords project neo4j is running; run it again when that one is done",
                )
            for name in ORDER:
                if name == "claim":  # entities' labels and relationships before the claims
                    for label, iris in sorted(plan.labels.items()):
                        tx.run(f"UNWIND $iris AS iri MATCH (n:Entity {{iri: iri}}) SET n:{ident(label, node_labels())}",
                               iris=iris).consume()
                    for (rtype, created), rows in sorted(plan.relationships.items()):
                        key = " {property: row.p}" if rtype == "RELATED" else ""
                        write = "CREATE" if created else "MERGE"
                        tx.run(f"UNWIND $rows AS row MATCH (a:Entity {{iri: row.a}}) MATCH (b:Entity {{iri: row.b}}) "
                               f"{write} (a)-[r:{ident(rtype, relationship_types())}{key}]->(b) SET r += row.props",
                               rows=rows).consume()  # fmt: skip
                if plan.rows.get(name):
                    tx.run(Q[name], rows=plan.rows[name]).consume()
            if plan.undone:
                tx.run(UNDO, rows=plan.undone).consume()
            tx.run(SET_HEAD, seq=new.seq, hash=new.hash, at=new.recorded_at).consume()

        with self.graph.session() as session:
            session.execute_write(work)


def node_labels() -> frozenset[str]:
    """The labels an entity node can get."""
    return entity_labels() | {"State"}
