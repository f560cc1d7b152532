"""The fold into Neo4j: each batch of events planned as writes, from the events and what the graph holds.

It remembers the claims, nodes and relationships it has seen (up to CACHE_LIMIT items)
and reads the rest back from Neo4j, so a catch-up in a new process plans the same
writes as one that never stopped. Writes set absolute values computed here from the
claims, so a batch means the same however the log is split into batches.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from accords.events.model import Event
from accords.graph.neo4j_driver import Graph
from accords.graph.neo4j_belief import ClaimInfo, NodeState, belief
from accords.graph.neo4j_items import Items, items, native, vkey
from accords.graph.neo4j_schema import entity_labels, ident, relationship_types, state_names
from accords.graph.neo4j_writes import Plan
from accords.graph.statement_rdf import entity_iri
from accords.graph.terms import claim_iri, source_iri

CACHE_LIMIT = 2_000_000  # remembered items before the fold forgets and asks Neo4j again


def _record(event: Event) -> dict[str, Any]:
    out = {
        "id": event.id,
        "seq": event.seq,
        "hash": event.hash,
        "recorded_at": event.recorded_at,
        "recorded_by": event.recorded_by,
    }
    if event.key is not None:
        out["key"] = event.key
    return out


def _dates(text: str, low: str, high: str) -> dict[str, dt.date]:
    from accords.events.dates import bounds

    b = bounds(text)
    return {k: v for k, v in ((low, b.earliest), (high, b.latest)) if v is not None}


def _said(it: Items, subject: str, name: str, term: str) -> dict[str, Any]:
    """An ABOUT (name "type") or STATES (name "property") relationship's properties: what
    it says, whether the judgement compares it, and the frame of a node without @id."""
    props: dict[str, Any] = {name: term}
    if (subject, term) in it.judged:
        props["judged"] = True
    if subject in it.frames:
        props["frame"] = it.frames[subject]
    return props


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
            "c.polarity AS polarity, c.retracted_seq AS end, c.statement AS statement",
            {"ids": want},
        )
        for r in rows:
            self.claims.setdefault(r["id"], ClaimInfo(r["seq"], r["polarity"] == "affirmed", r["end"]))
        return {r["id"]: json.loads(r["statement"]) for r in rows}

    def _fetch_items(self, nodes: set[str], rels: set[tuple[str, str, str, str]]) -> None:
        nodes = {n for n in nodes if n not in self.nodes}
        rels = {r for r in rels if r not in self.rels}
        if not self.fresh:
            wanted: list[str] = []
            if nodes:
                # raw: a date read back must have the key it was written with, not its text
                _, rows = self.graph.read(
                    "UNWIND $iris AS iri MATCH (n:Entity {iri: iri}) RETURN n.iri AS iri, n.claims AS claims, "
                    "n.types AS types, labels(n) AS labels, "
                    "[(c:Claim)-[s:STATES]->(n) | [c.id, s.property, s.value]] AS literals",
                    {"iris": sorted(nodes)},
                    raw=True,
                )
                for r in rows:
                    state = NodeState(list(r["claims"] or []), list(r["types"] or []), set(r["labels"]))
                    for claim, prop, value in r["literals"]:
                        state.literals.setdefault((prop, vkey(value)), (native(value), []))[1].append(claim)
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
                    f"{where} RETURN row.a AS a, row.b AS b, r.claims AS claims",
                    {"rows": rows_in, "p": p},
                )
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
        targets = {
            b["claim"]
            for e, b in zip(events, bodies)
            if e.type in ("ClaimRetracted", "ClaimCorrected") and b["claim"] not in statements
        }
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
            elif e.type in ("SourceRegistered", "DerivationJudged"):  # an agency a source carries: an entity node
                nodes.update(entity_iri(x).value for x in b.get("derived_from", ()) if x.startswith("actor/"))
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
        names = state_names()
        for iri in sorted(touched):
            state = self.nodes[iri]
            is_state = iri in names
            props = belief(state.claims, self.claims, always=is_state)
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
                {
                    "a": a,
                    "b": b,
                    "p": p,
                    "props": {**belief(self.rels[key], self.claims), **({"property": p} if p else {})},
                }
            )

    # -- the events ---------------------------------------------------------------------

    def _SourceRegistered(
        self, event: Event, body: dict[str, Any], plan: Plan, said: Any, touched: set[str], *_: Any
    ) -> None:
        props = {**_record(event), "iri": source_iri(event.id).value}
        for name in (
            "title",
            "kind",
            "publisher",
            "published",
            "url",
            "language",
            "author",
            "archive_url",
            "content_hash",
            "retrieved",
            "note",
        ):
            if name in body:
                props[name] = body[name]
        from accords.events.dates import publication

        when = publication(body.get("published"), event.recorded_at)
        props.update(
            {
                name: day
                for name, day in (("published_earliest", when.earliest), ("published_latest", when.latest))
                if day
            }
        )
        plan.add("source", {"id": event.id, "props": props})
        for upstream in body.get("derived_from", []):
            if upstream.startswith("actor/"):  # wire copy of an agency: the agency's entity node
                touched.add(entity_iri(upstream).value)
                plan.add("derived_entity", {"id": event.id, "iri": entity_iri(upstream).value})
            else:
                plan.add("derived", {"id": event.id, "upstream": upstream})

    def _ClaimRecorded(
        self,
        event: Event,
        body: dict[str, Any],
        plan: Plan,
        said: dict[str, Items],
        touched: set[str],
        touched_rels: set[Any],
        status: dict[str, Any],
    ) -> None:
        c, it = event.id, said[event.id]
        affirmed = body.get("polarity", "affirmed") == "affirmed"
        self.claims[c] = ClaimInfo(event.seq, affirmed)
        props = {
            **_record(event),
            "iri": claim_iri(c).value,
            "quote": body["quote"],
            "certainty": body["certainty"],
            "polarity": body.get("polarity", "affirmed"),
            "status": "active",
            "types": list(dict.fromkeys(t for _, t in it.types)),
            "statement": json.dumps(body["statement"], ensure_ascii=False),
        }
        for name in ("valid_time", "note"):
            if name in body:
                props[name] = body[name]
        if "valid_time" in body:
            props.update(_dates(body["valid_time"], "valid_from", "valid_until"))
        if "selector" in body:
            props["selector"] = json.dumps(body["selector"], sort_keys=True)
        plan.add("speaker", {"name": body["attributed_to"]})
        row = {
            "props": props,
            "source": body["source"],
            "speaker": body["attributed_to"],
            "about": [{"iri": subject, "props": _said(it, subject, "type", type_)} for subject, type_ in it.types],
            "states": [
                {"iri": subject, "props": _said(it, subject, "property", prop) | {"value": value}}
                for subject, prop, value in it.literals
            ],
            "persons": [  # as events/personal.py reveals them; what an erasure takes out of the quote on MENTIONS
                {
                    "iri": entity_iri(p["id"]).value,
                    "name": p["name"],
                    "details": [f"{k}: {v}" for k, v in sorted(p["details"].items())],
                    "mentions": sorted(p["mentions"], key=len, reverse=True),
                }
                for p in body.get("persons", ())
            ],
        }
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

    def _invalidate(
        self,
        event: Event,
        body: dict[str, Any],
        plan: Plan,
        said: dict[str, Items],
        touched: set[str],
        touched_rels: set[Any],
        status: dict[str, Any],
        label: str,
    ) -> None:
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

    def _ClaimRetracted(
        self,
        event: Event,
        body: dict[str, Any],
        plan: Plan,
        said: dict[str, Items],
        touched: set[str],
        touched_rels: set[Any],
        status: dict[str, Any],
    ) -> None:
        self._invalidate(event, body, plan, said, touched, touched_rels, status, "Retraction")

    def _ClaimCorrected(
        self,
        event: Event,
        body: dict[str, Any],
        plan: Plan,
        said: dict[str, Items],
        touched: set[str],
        touched_rels: set[Any],
        status: dict[str, Any],
    ) -> None:
        self._invalidate(event, body, plan, said, touched, touched_rels, status, "Correction")

    def _SourceCorrected(self, event: Event, body: dict[str, Any], plan: Plan, *_: Any) -> None:
        props = {**_record(event), "correction": body["correction"], "retracted": bool(body.get("retracted"))}
        plan.add(
            "source_correction",
            {"id": event.id, "source": body["source"], "props": props, "retracted": bool(body.get("retracted"))},
        )

    def _EntitiesMerged(
        self, event: Event, body: dict[str, Any], plan: Plan, said: Any, touched: set[str], *_: Any
    ) -> None:
        entities = [entity_iri(x).value for x in body["entities"]]
        props = {**_record(event), "judged_by": body["judged_by"], "reason": body["reason"], "entities": entities}
        plan.add("merge", {"id": event.id, "props": props})
        touched.update(entities)
        for other in entities[1:]:
            plan.add("same_as", {"a": entities[0], "b": other, "merge": event.id, "seq": event.seq})

    def _MergeUndone(self, event: Event, body: dict[str, Any], plan: Plan, *_: Any) -> None:
        props = {**_record(event), "judged_by": body["judged_by"], "reason": body["reason"], "merge": body["merge"]}
        plan.undone.append({"id": event.id, "merge": body["merge"], "seq": event.seq, "props": props})

    def _SourceAssessed(self, event: Event, body: dict[str, Any], plan: Plan, *_: Any) -> None:
        props = {**_record(event), "flags": body["flags"], "assessor": body["assessor"]}
        if "note" in body:
            props["note"] = body["note"]
        plan.add("assessment", {"id": event.id, "source": body["source"], "props": props})

    def _SourceCaptured(self, event: Event, body: dict[str, Any], plan: Plan, *_: Any) -> None:
        props = {**_record(event), "sha256": body["sha256"], "captured": body["captured"]}
        props["media_type"] = body["media_type"]
        if "note" in body:
            props["note"] = body["note"]
        plan.add("capture", {"id": event.id, "source": body["source"], "props": props})

    def _DerivationJudged(
        self, event: Event, body: dict[str, Any], plan: Plan, said: Any, touched: set[str], *_: Any
    ) -> None:
        """A judged derivation: a DERIVED_FROM of its own, holding from its seq until undone."""
        props = {**_record(event), "judged_by": body["judged_by"], "reason": body["reason"]}
        plan.add("judgement", {"id": event.id, "source": body["source"], "props": props})
        for upstream in body["derived_from"]:
            link = {"id": event.id, "source": body["source"], "seq": event.seq}
            if upstream.startswith("actor/"):
                touched.add(entity_iri(upstream).value)
                plan.add("judged_entity", link | {"iri": entity_iri(upstream).value})
            else:
                plan.add("judged_source", link | {"upstream": upstream})

    def _DerivationUndone(self, event: Event, body: dict[str, Any], plan: Plan, *_: Any) -> None:
        props = {**_record(event), "judged_by": body["judged_by"], "reason": body["reason"]}
        plan.add("judgement_undone", {"id": event.id, "judgement": body["judgement"], "seq": event.seq, "props": props})

    def _PersonErased(self, event: Event, body: dict[str, Any], plan: Plan, *_: Any) -> None:
        plan.add("erased", {"iri": entity_iri(body["person"]).value})

    def _unprojected(self, *_: Any) -> None:
        """Keys and signatures say nothing of the world (graph/fold.py)."""

    _KeyRegistered = _KeyRevoked = _SignaturesRequired = _EventsSigned = _unprojected

    def _ClaimReviewed(self, event: Event, body: dict[str, Any], plan: Plan, *_: Any) -> None:
        props = {**_record(event), "rating": body["rating"], "reviewer": body["reviewer"]}
        if "note" in body:
            props["note"] = body["note"]
        plan.add("review", {"id": event.id, "claim": body["claim"], "props": props})
        for s in body.get("sources", []):
            plan.add("cites_Review", {"id": event.id, "source": s})
