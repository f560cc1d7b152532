"""A capture (SourceCaptured) in the Neo4j projection: beside its source, with its hash, day and kind."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from accords.graph.neo4j_driver import Graph, Target

SAMPLE = Path(__file__).parents[1] / "events" / "data" / "sample.jsonl"


def test_a_capture_is_projected_beside_its_source(accords: Any, tmp_path: Path) -> None:
    """SourceCaptured: a (:Capture) with the hash, day and kind, and -[:CAPTURES]-> its source."""
    accords.ok("import", str(SAMPLE))
    source = next(
        e for e in json.loads(accords.ok("log", "--format", "json").stdout) if e["type"] == "SourceRegistered"
    )
    page = tmp_path / "page.txt"
    page.write_text("The page as it was.", encoding="utf-8")
    accords.ok("capture", source["id"], str(page), "--captured", "2025-06-12")
    accords.ok("project", "neo4j")
    graph = Graph(Target(accords.uri))
    _, rows = graph.read(
        "MATCH (c:Capture)-[:CAPTURES]->(s:Source) RETURN c.sha256 AS sha, c.captured AS day, c.media_type AS kind, s.id AS source"
    )
    graph.close()
    (row,) = rows
    assert row["source"].startswith(source["id"])  # the log lists ids by their first 12 digits
    assert (row["sha"], row["day"], row["kind"]) == (
        hashlib.sha256(page.read_bytes()).hexdigest(),
        "2025-06-12",
        "text/plain",
    )
