"""A person in the Neo4j projection: (:Claim)-[:MENTIONS]->(:Person), and after `accords erase`
and the next `project neo4j`, [erased] where their name was, in the person and in each quote:
the graph caught up equals one built after the erasure."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accords.graph.neo4j_driver import Graph, Target
from tests.cli.test_erase import CLAIM, NAME, QUOTE, SOURCE


def people(uri: str) -> list[dict[str, Any]]:
    graph = Graph(Target(uri))
    _, rows = graph.read(
        "MATCH (c:Claim)-[m:MENTIONS]->(p:Person) RETURN c.quote AS quote, p.iri AS iri, p.name AS name, "
        "p.details AS details, m.mentions AS mentions"
    )
    graph.close()
    return rows


def test_an_erased_person_reads_erased_in_neo4j(accords: Any, tmp_path: Path) -> None:
    events = tmp_path / "in.jsonl"
    events.write_text(json.dumps(SOURCE) + "\n" + json.dumps(CLAIM) + "\n", encoding="utf-8")
    accords.ok("import", str(events))
    accords.ok("project", "neo4j")
    (row,) = people(accords.uri)
    assert (row["quote"], row["name"], row["details"]) == (QUOTE, NAME, ["age: 41", "born_in: Matanzas"])
    assert row["iri"].endswith("/person/esw-7") and row["mentions"] == [NAME, "Quintana"]

    accords.ok("erase", "person/esw-7", "--reason", "the person's request")
    accords.ok("project", "neo4j")
    (row,) = people(accords.uri)
    erased = QUOTE.replace(NAME, "[erased]").replace("Quintana", "[erased]")
    assert (row["quote"], row["name"], row["details"], row["mentions"]) == (erased, "[erased]", [], [])
    caught_up = accords.snapshot()
    assert "Quintana" not in json.dumps(caught_up) and "Matanzas" not in json.dumps(caught_up)
    accords.ok("project", "neo4j", "--rebuild")
    rebuilt = accords.snapshot()
    assert caught_up == rebuilt
