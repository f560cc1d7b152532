"""The writes of one batch: parameterised ``UNWIND $rows`` queries, run with the head in one transaction.

Every value travels in ``$rows``; the only names in the text are labels and types from
the whitelists of neo4j_schema. A batch's transaction first checks the head it
continues, so the graph never reflects half a batch or a batch twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accords.events.errors import ConflictError
from accords.events.model import EMPTY, Head
from accords.graph.neo4j_schema import ident, node_labels, relationship_types


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
    "derived_entity": "UNWIND $rows AS row MATCH (s:Source {id: row.id}) MATCH (u:Entity {iri: row.iri}) "
    "MERGE (s)-[:DERIVED_FROM]->(u)",
    # a judged derivation holds from its seq (from_seq) until undone (until_seq); one declared
    # at registration has neither, and holds for as long as its source
    "judgement": "UNWIND $rows AS row MERGE (j:DerivationJudgement {id: row.id}) SET j += row.props "
    "WITH j, row MATCH (s:Source {id: row.source}) MERGE (j)-[:JUDGED_SOURCE]->(s)",
    "judged_source": "UNWIND $rows AS row MATCH (s:Source {id: row.source}) MATCH (u:Source {id: row.upstream}) "
    "CREATE (s)-[:DERIVED_FROM {judgement: row.id, from_seq: row.seq}]->(u)",
    "judged_entity": "UNWIND $rows AS row MATCH (s:Source {id: row.source}) MATCH (u:Entity {iri: row.iri}) "
    "CREATE (s)-[:DERIVED_FROM {judgement: row.id, from_seq: row.seq}]->(u)",
    "judgement_undone": "UNWIND $rows AS row MERGE (e:DerivationUndo {id: row.id}) SET e += row.props "
    "WITH e, row MATCH (j:DerivationJudgement {id: row.judgement}) MERGE (j)-[:UNDONE_BY]->(e) "
    "WITH row MATCH ()-[r:DERIVED_FROM {judgement: row.judgement}]->() SET r.until_seq = row.seq",
    "speaker": "UNWIND $rows AS row MERGE (:Speaker {name: row.name})",
    # Claims are new in their batch (the head check says so): CREATE them and what they say.
    # They carry their source's publication bounds, as the RDF claims do, for $known_by.
    "claim": "UNWIND $rows AS row MATCH (s:Source {id: row.source}) MATCH (sp:Speaker {name: row.speaker}) "
    "CREATE (c:Claim) SET c = row.props, c.published_earliest = s.published_earliest, "
    "c.published_latest = s.published_latest CREATE (c)-[:FROM]->(s) CREATE (c)-[:ATTRIBUTED_TO]->(sp) "
    "WITH c, row CALL (c, row) { UNWIND row.about AS ab MATCH (n:Entity {iri: ab.iri}) "
    "CREATE (c)-[r:ABOUT]->(n) SET r = ab.props } "
    "CALL (c, row) { UNWIND row.states AS st MATCH (n:Entity {iri: st.iri}) "
    "CREATE (c)-[r:STATES]->(n) SET r = st.props } "
    "CALL (c, row) { UNWIND row.persons AS pe MERGE (p:Person {iri: pe.iri}) "
    "SET p.name = pe.name, p.details = pe.details CREATE (c)-[:MENTIONS {mentions: pe.mentions}]->(p) }",
    # A person erased: their name and details go, and the words that named them in each quote.
    "erased": "UNWIND $rows AS row MATCH (p:Person {iri: row.iri}) SET p.name = '[erased]', p.details = [] "
    "WITH p MATCH (c:Claim)-[m:MENTIONS]->(p) "
    "SET c.quote = reduce(q = c.quote, w IN m.mentions | replace(q, w, '[erased]')), m.mentions = []",
    "node": "UNWIND $rows AS row MERGE (n:Entity {iri: row.iri}) SET n += row.props",
    "new_node": "UNWIND $rows AS row CREATE (n:Entity) SET n = row.props, n.iri = row.iri",
    "status": "UNWIND $rows AS row MATCH (c:Claim {id: row.id}) SET c += row.props",
    "Retraction": "UNWIND $rows AS row MERGE (e:Retraction {id: row.id}) SET e += row.props "
    "WITH e, row MATCH (c:Claim {id: row.claim}) MERGE (c)-[:INVALIDATED_BY]->(e)",
    "Correction": "UNWIND $rows AS row MERGE (e:Correction {id: row.id}) SET e += row.props "
    "WITH e, row MATCH (c:Claim {id: row.claim}) MERGE (c)-[:INVALIDATED_BY]->(e) "
    "WITH e, row MATCH (r:Claim {id: row.replacement}) MERGE (e)-[:REPLACEMENT]->(r)",
    **{
        f"cites_{label}": f"UNWIND $rows AS row MATCH (e:{label} {{id: row.id}}) "
        "MATCH (s:Source {id: row.source}) MERGE (e)-[:CITES]->(s)"
        for label in ("Retraction", "Correction", "Review")
    },
    "source_correction": "UNWIND $rows AS row MERGE (e:SourceCorrection {id: row.id}) SET e += row.props "
    "WITH e, row MATCH (s:Source {id: row.source}) MERGE (s)-[:CORRECTED_BY]->(e) "
    "SET s.retracted_by_publisher = coalesce(s.retracted_by_publisher, false) OR row.retracted",
    "review": "UNWIND $rows AS row MERGE (e:Review {id: row.id}) SET e += row.props "
    "WITH e, row MATCH (c:Claim {id: row.claim}) MERGE (e)-[:REVIEWS]->(c)",
    "assessment": "UNWIND $rows AS row MERGE (a:Assessment {id: row.id}) SET a += row.props "
    "WITH a, row MATCH (s:Source {id: row.source}) MERGE (a)-[:ASSESSES]->(s)",
    "capture": "UNWIND $rows AS row MERGE (c:Capture {id: row.id}) SET c += row.props "
    "WITH c, row MATCH (s:Source {id: row.source}) MERGE (c)-[:CAPTURES]->(s)",
    "merge": "UNWIND $rows AS row MERGE (m:Merge {id: row.id}) SET m += row.props",
    "same_as": "UNWIND $rows AS row MATCH (a:Entity {iri: row.a}) MATCH (b:Entity {iri: row.b}) "
    "MERGE (a)-[r:SAME_AS {merge: row.merge}]->(b) "
    "SET r.believed = true, r.believed_from = [row.seq], r.believed_until = []",
}
# The order queries run in within a batch: what a row matches is written before it.
ORDER = [
    "source",
    "derived",
    "speaker",
    "node",
    "new_node",
    "derived_entity",
    "judgement",
    "judged_source",
    "judged_entity",
    "judgement_undone",
    "claim",
    "status",
    "Retraction",
    "Correction",
    "cites_Retraction",
    "cites_Correction",
    "source_correction",
    "review",
    "cites_Review",
    "assessment",
    "capture",
    "merge",
    "same_as",
    "erased",
]
UNDO = (
    "UNWIND $rows AS row MERGE (u:MergeUndo {id: row.id}) SET u += row.props "
    "WITH u, row MATCH (m:Merge {id: row.merge}) MERGE (m)-[:UNDONE_BY]->(u) "
    "WITH row, m MATCH (a:Entity)-[r:SAME_AS]->(b:Entity) "
    "WHERE a.iri IN m.entities AND b.iri IN m.entities AND r.believed "
    "SET r.believed = false, r.believed_until = [row.seq]"
)
HEAD = (
    "MERGE (p:AccordsProjection {name: 'head'}) ON CREATE SET p.seq = 0, p.hash = $genesis "
    "SET p.seq = p.seq RETURN p.seq AS seq, p.hash AS hash"
)
SET_HEAD = "MATCH (p:AccordsProjection {name: 'head'}) SET p.seq = $seq, p.hash = $hash, p.updated_at = $at, p.layout = $layout"
# What the fold writes: bump when it changes, and a graph of another layout is rebuilt
# (2: judged and frame on ABOUT and STATES).
LAYOUT = "2"


def write_batch(tx: Any, plan: Plan, expected: Head, new: Head) -> None:
    """Write plan in transaction tx, if the graph reflects expected; then record new as its head."""
    found = tx.run(HEAD, genesis=EMPTY.hash).single()
    if (found["seq"], found["hash"]) != (expected.seq, expected.hash):
        raise ConflictError(
            f"Neo4j moved to seq {found['seq']} while projecting from seq {expected.seq}",
            "another accords project neo4j is running; run it again when that one is done",
        )
    for name in ORDER:
        if name == "claim":  # entities' labels and relationships before the claims
            for label, iris in sorted(plan.labels.items()):
                tx.run(
                    f"UNWIND $iris AS iri MATCH (n:Entity {{iri: iri}}) SET n:{ident(label, node_labels())}", iris=iris
                ).consume()
            for (rtype, created), rows in sorted(plan.relationships.items()):
                key = " {property: row.p}" if rtype == "RELATED" else ""
                write = "CREATE" if created else "MERGE"
                tx.run(
                    f"UNWIND $rows AS row MATCH (a:Entity {{iri: row.a}}) MATCH (b:Entity {{iri: row.b}}) "
                    f"{write} (a)-[r:{ident(rtype, relationship_types())}{key}]->(b) SET r += row.props",
                    rows=rows,
                ).consume()
        if plan.rows.get(name):
            tx.run(Q[name], rows=plan.rows[name]).consume()
    if plan.undone:
        tx.run(UNDO, rows=plan.undone).consume()
    tx.run(SET_HEAD, seq=new.seq, hash=new.hash, at=new.recorded_at, layout=LAYOUT).consume()
