"""Benchmark of the Neo4j projection against a real server.

    python bench/neo4j_bench.py --neo4j bolt://127.0.0.1:7687 [--events 100000] [--batch 1000]
                                [--batches 1000,5000,20000]

On N generated events (bench/generate.py, seed 1) in a SQLite log:
- projection throughput: `accords project neo4j --rebuild` (the library call) in events/s;
- the floor, in the same run: the same nodes and relationships (read back from the
  projection) written again with plain `UNWIND $rows CREATE …` in 10,000-row
  transactions, on the same constraints: what the server costs for this graph;
- incremental catch-up of 1,000 new events onto the projected graph, from a new process
  state (it reads what it needs back from Neo4j);
- with --batches, projection throughput of the first min(N, 20,000) events per batch size.
The server is emptied first (--neo4j defaults to $ACCORDS_TEST_NEO4J). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

from accords.events.log import Draft, Log  # noqa: E402
from accords.events.store import open_store  # noqa: E402
from accords.graph.neo4j_driver import Graph, Target  # noqa: E402
from accords.graph.neo4j import Neo4jProjection  # noqa: E402
from accords.graph.neo4j_schema import entity_labels, relationship_types  # noqa: E402

KEYS = {"Claim": "id", "Source": "id", "Speaker": "name", "AccordsProjection": "name"}


def key_of(labels: list[str]) -> tuple[str, str]:
    """The label and property that identify a node: Entity iri, Claim id…"""
    if "Entity" in labels:
        return "Entity", "iri"
    label = sorted(labels)[0]
    return label, KEYS.get(label, "id")


def empty(graph: Graph) -> None:
    """Delete every relationship, then every node, 10,000 at a time: a state with 100,000
    relationships deleted with its node in one transaction exceeds the server's memory pool."""
    with graph.session() as s:
        s.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS").consume()
        s.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def wipe(graph: Graph) -> None:
    empty(graph)
    with graph.session() as s:
        for r in list(s.run("SHOW CONSTRAINTS YIELD name")):
            s.run(f"DROP CONSTRAINT `{r['name']}`").consume()


def log_of(path: Path, n: int) -> Log:
    log = Log(open_store(str(path), create=True), "bench")
    drafts = (Draft(e["type"], e["body"], e.get("key")) for e in generate.events(n, 1))
    log.append(drafts)
    return log


def project(graph: Graph, log: Log, batch: int, rebuild: bool) -> float:
    started = time.perf_counter()
    Neo4jProjection(graph).project(log.store, rebuild=rebuild, batch=batch)
    return time.perf_counter() - started


def counts(graph: Graph) -> tuple[int, int]:
    _, n = graph.read("MATCH (n) RETURN count(n) AS n")
    _, r = graph.read("MATCH ()-[r]->() RETURN count(r) AS n")
    return n[0]["n"], r[0]["n"]


def floor(graph: Graph) -> float:
    """Read the projected graph back, empty it, and write it again with UNWIND … CREATE."""
    _, nodes = graph.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    key = "CASE WHEN {0}:Entity THEN {0}.iri WHEN {0}:Speaker OR {0}:AccordsProjection THEN {0}.name ELSE {0}.id END"
    _, rels = graph.read(
        f"MATCH (a)-[r]->(b) RETURN labels(a) AS al, {key.format('a')} AS ak, type(r) AS t, "
        f"properties(r) AS p, labels(b) AS bl, {key.format('b')} AS bk"
    )
    by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for n in nodes:
        by_labels.setdefault(tuple(sorted(n["labels"])), []).append(n["props"])
    by_type: dict[tuple[str, str, str, str, str], list[dict[str, Any]]] = {}
    for r in rels:
        (al, ak), (bl, bk) = key_of(r["al"]), key_of(r["bl"])
        by_type.setdefault((r["t"], al, ak, bl, bk), []).append({"a": r["ak"], "b": r["bk"], "p": r["p"]})
    del nodes, rels
    empty(graph)
    allowed = entity_labels() | {"Entity", "State", *KEYS, "Retraction", "Correction"}
    started = time.perf_counter()
    with graph.session() as s:
        for labels, rows in by_labels.items():
            assert set(labels) <= allowed, labels
            text = f"UNWIND $rows AS p CREATE (n:{':'.join(labels)}) SET n = p"
            for i in range(0, len(rows), 10_000):
                s.execute_write(lambda tx, chunk=rows[i : i + 10_000]: tx.run(text, rows=chunk).consume())
        for (t, al, ak, bl, bk), rows in by_type.items():
            assert t in relationship_types() | {
                "FROM",
                "ATTRIBUTED_TO",
                "ABOUT",
                "STATES",
                "DERIVED_FROM",
                "INVALIDATED_BY",
                "REPLACEMENT",
                "CITES",
            }, t
            text = (
                f"UNWIND $rows AS row MATCH (a:{al} {{{ak}: row.a}}) MATCH (b:{bl} {{{bk}: row.b}}) "
                f"CREATE (a)-[r:{t}]->(b) SET r = row.p"
            )
            for i in range(0, len(rows), 10_000):
                s.execute_write(lambda tx, chunk=rows[i : i + 10_000]: tx.run(text, rows=chunk).consume())
    return time.perf_counter() - started


def main() -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--neo4j", default=os.environ.get("ACCORDS_TEST_NEO4J"))
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--batches", default="", help="comma-separated batch sizes to compare on 20,000 events")
    args = parser.parse_args()
    if not args.neo4j:
        sys.exit("give --neo4j URI (or start tests/neo4j/server.sh and set ACCORDS_TEST_NEO4J)")
    graph = Graph(Target(args.neo4j))
    _, version = graph.read("CALL dbms.components() YIELD versions RETURN versions[0] AS v")
    print(f"Neo4j {version[0]['v']} at {args.neo4j}; {args.events:,} generated events, batch {args.batch:,}")
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        full = log_of(Path(tmp) / "full.db", args.events + 1000)
        print(f"  log of {args.events + 1000:,} events written in {time.perf_counter() - t:.1f} s")
        log = Log(open_store(str(Path(tmp) / "n.db"), create=True), "bench")
        log.append(Draft(e.type, e.data(), e.key, e.recorded_at, e.recorded_by) for e in full.read(1, args.events))

        for size in [int(b) for b in args.batches.split(",") if b]:
            wipe(graph)
            n = min(args.events, 20_000)
            small = Log(open_store(str(Path(tmp) / f"b{size}.db"), create=True), "bench")
            small.append(Draft(e.type, e.data(), e.key, e.recorded_at, e.recorded_by) for e in full.read(1, n))
            seconds = project(graph, small, size, rebuild=True)
            print(f"  batch {size:>6,}: {n:,} events in {seconds:.1f} s = {n / seconds:,.0f} events/s")

        wipe(graph)
        seconds = project(graph, log, args.batch, rebuild=True)
        nodes, rels = counts(graph)
        print(
            f"  accords projection: {args.events:,} events in {seconds:.1f} s = {args.events / seconds:,.0f} events/s"
            f" ({nodes:,} nodes, {rels:,} relationships = {(nodes + rels) / seconds:,.0f} graph items/s)"
        )

        log.append(Draft(e.type, e.data(), e.key, e.recorded_at, e.recorded_by) for e in full.read(args.events + 1))
        catch_up = project(graph, log, args.batch, rebuild=False)
        print(f"  incremental catch-up of 1,000 events onto it: {catch_up:.2f} s = {1000 / catch_up:,.0f} events/s")

        items = sum(counts(graph))
        bare = floor(graph)
        print(
            f"  floor, plain UNWIND … CREATE of the same {items:,} nodes and relationships: {bare:.1f} s"
            f" = {items / bare:,.0f} graph items/s"
        )
        print(f"  accords / floor (graph items/s): {((nodes + rels) / seconds) / (items / bare):.2f}x (target >= 0.5x)")
    graph.close()


if __name__ == "__main__":
    main()
