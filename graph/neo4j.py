"""The property-graph projection: the log folded into Neo4j (DESIGN §5), batch by batch.

The same facts as the RDF fold (graph/fold.py), as nodes and relationships:

- each claim's statement: subjects and IRI objects are ``:Entity`` nodes keyed by
  ``iri``, with a label per ontology class (``:Agreement``, ``:State``…); IRI-valued
  properties are relationships named after the property (acc:party -> ``:PARTY``);
  literal and vocabulary values are ``(:Claim)-[:STATES {property, value}]->(entity)``
  and, while believed, properties of the entity (several believed values: a list);
  a STATES or ``ABOUT {type}`` relationship the judgement compares has ``judged: true``,
  and one to a node without @id its ``frame`` (acc:frame: one stance or count in two claims);
- every entity node (as a subject) and relationship carries ``claims`` (every claim
  stating it, in log order), ``believed`` (now) and the seq intervals in which it was
  believed: ``believed_from[i] <= seq < believed_until[i]``, the last interval open
  when ``believed_until`` is one shorter. A fact is believed while at least one active
  affirmed claim states it, exactly as the RDF belief graph. States are vocabulary:
  believed from seq 0;
- ``(:Claim)-[:FROM]->(:Source)``, ``-[:ATTRIBUTED_TO]->(:Speaker)``, ``-[:ABOUT {type}]->``,
  ``-[:INVALIDATED_BY]->(:Retraction|:Correction)``, ``(:Source)-[:DERIVED_FROM]->(:Source)``;
- ``(:AccordsProjection {name: 'head', seq, hash, layout})``: the log head the graph
  reflects, and the LAYOUT that wrote it (a graph of another layout is rebuilt);
- ``(:Disagreement {subject, property, kind, sides, claims})``: the judgement's rows at
  that head (graph/judgement.py), rewritten at the end of each projection.

A fact stated --as-of N: ``any(i IN range(0, size(x.believed_from) - 1) WHERE
x.believed_from[i] <= $as_of AND coalesce(x.believed_until[i], $as_of + 1) > $as_of)``.
The other two clocks place claims, as in the RDF projection: each ``:Claim`` carries
its valid-time bounds (``valid_from``, ``valid_until``) and its source's publication
bounds (``published_earliest``, ``published_latest``); the named queries' Cypher
forms test every claim they read against all three (see ``accords cypher --help``).

Every batch of events is written with the head in one transaction, after checking the
head it continues, so the graph never reflects half a batch. The parts: neo4j_schema
(labels, types, constraints), neo4j_items (a statement as items), neo4j_belief (belief
intervals), neo4j_fold (a batch planned as writes), neo4j_writes (the queries that run
them); the connection and its errors are in cypher.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from accords.events.errors import StoreError
from accords.events.model import EMPTY, Event, Head
from accords.events.personal import reading
from accords.events.store import Recorder
from accords.graph.judgement import disagreements
from accords.graph.neo4j_driver import Graph
from accords.graph.neo4j_fold import Fold
from accords.graph.neo4j_schema import PROVENANCE_LABELS, constraints
from accords.graph.neo4j_writes import LAYOUT, Plan, write_batch
from accords.graph.projection import View, open_projection, view

# Events per transaction: 1,000, 5,000 and 20,000 project equally fast within noise
# (bench/README.md); the smallest bounds each transaction's memory on a small server.
BATCH = 1000


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

    def layout(self) -> str | None:
        """The LAYOUT that wrote the graph ("1" before layouts were recorded); None when empty."""
        _, rows = self.graph.read("MATCH (p:AccordsProjection {name: 'head'}) RETURN p.layout AS layout")
        return (rows[0]["layout"] or "1") if rows else None

    def ensure_schema(self) -> None:
        with self.graph.session() as session:
            for statement in constraints():
                session.run(statement).consume()

    def clear(self) -> None:
        """Delete what accords projected (and nothing else in the database)."""
        labels = " OR ".join(f"n:{label}" for label in ("Entity", *PROVENANCE_LABELS))
        with self.graph.session() as session:
            session.run(
                f"MATCH (n) WHERE {labels} CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 5000 ROWS"
            ).consume()

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
            raise StoreError(
                f"Neo4j reflects seq {head.seq} ({head.hash[:12]}), "
                f"but this log's event {head.seq} is {event.hash[:12]}",
                hint,
            )
        return head

    def project(
        self, recorder: Recorder, rebuild: bool = False, batch: int = BATCH, progress: Progress | None = None
    ) -> Head:
        """Fold the events after the recorded head into the graph, batch by batch."""
        self.ensure_schema()
        if rebuild or self.layout() not in (None, LAYOUT):
            self.clear()
        head = self.check(recorder)
        target = recorder.head().seq
        fold = Fold(self.graph, fresh=head.empty)
        for events in _batches(reading(recorder, head.seq + 1), batch):
            plan = fold.plan(events)
            last = events[-1]
            self._write(plan, head, Head(last.seq, last.hash, last.recorded_at))
            fold.new.clear()
            head = Head(last.seq, last.hash)
            if progress:
                progress(head.seq, target)
        self._judge(recorder, head)
        return head

    def _judge(self, recorder: Recorder, head: Head) -> None:
        """(:Disagreement) nodes: the judgement's rows at the head the graph reflects, as
        the RDF projection gives them (graph/judgement.py), written anew each time."""
        rows: list[dict[str, Any]] = []
        if not head.empty:
            rdf = open_projection(recorder, judged=True)
            if rdf.head().seq != head.seq:  # the log grew meanwhile: the view at the graph's head
                rdf = view(recorder, View(as_of=head.seq))
            rows = [
                {"subject": d.subject.value, "property": d.property.value, "kind": d.kind, "sides": d.sides}
                | {"claims": " ".join(sorted(d.claims))}
                for d in disagreements(rdf.store)
            ]

        def write(tx: Any) -> None:
            tx.run("MATCH (d:Disagreement) DETACH DELETE d")
            tx.run("UNWIND $rows AS row CREATE (d:Disagreement) SET d = row", rows=rows)

        with self.graph.session() as session:
            session.execute_write(write)

    def _write(self, plan: Plan, expected: Head, new: Head) -> None:
        with self.graph.session() as session:
            session.execute_write(write_batch, plan, expected, new)
