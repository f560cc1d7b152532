"""The Neo4j test server, emptied for each test, and the accords command run against it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from accords.cli import cli
from accords.events.backends import open_store
from accords.graph.neo4j_driver import Graph, Target
from accords.graph.neo4j import Neo4jProjection


@pytest.fixture(scope="session")
def neo4j_service() -> str:
    """The test server's URI; in CI a missing server fails, on a laptop it skips."""
    # tests/conftest.py's helper, imported by path: pytest runs with --import-mode=importlib
    import importlib.util

    spec = importlib.util.spec_from_file_location("_conftest", Path(__file__).parents[1] / "conftest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    url: str = module.service_url("ACCORDS_TEST_NEO4J", "Neo4j")
    return url


@pytest.fixture
def neo4j_uri(neo4j_service: str) -> Iterator[str]:
    """The test server, emptied: no nodes, no constraints."""
    graph = Graph(Target(neo4j_service))
    with graph.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        for record in list(session.run("SHOW CONSTRAINTS YIELD name")):
            session.run(f"DROP CONSTRAINT `{record['name']}`").consume()  # a schema name, not a value
    graph.close()
    yield neo4j_service


class Accords:
    """The accords command on one store and one Neo4j, run in-process."""

    def __init__(self, store: Path, uri: str) -> None:
        self.env = {"ACCORDS_STORE": str(store), "ACCORDS_USER": "tester", "ACCORDS_NEO4J_URI": uri}
        self.runner = CliRunner()
        self.uri = uri
        self.store = store

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(cli, list(args), env=self.env, input=input, catch_exceptions=False)

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.exit_code == 0, result.stderr
        return result

    def on(self, store: Path) -> Accords:
        """The command on another store (created here), projecting to the same Neo4j."""
        open_store(str(store), create=True).close()
        return Accords(store, self.uri)

    def graph_head(self) -> tuple[int, str]:
        """The seq and hash of the last event projected to the Neo4j graph."""
        graph = Graph(Target(self.uri))
        found = Neo4jProjection(graph).head()
        graph.close()
        return found.seq, found.hash

    def snapshot(self) -> tuple[list[str], list[str]]:
        """Every node and relationship with its labels/type and properties, as sorted text."""
        graph = Graph(Target(self.uri))
        key = "coalesce(n.iri, n.id, n.name)"
        _, nodes = graph.read(
            f"MATCH (n) WHERE NOT n:AccordsProjection RETURN labels(n) AS l, properties(n) AS p, {key} AS k"
        )
        _, rels = graph.read(
            "MATCH (a)-[r]->(b) RETURN coalesce(a.iri, a.id, a.name) AS a, type(r) AS t, "
            "properties(r) AS p, coalesce(b.iri, b.id, b.name) AS b"
        )
        graph.close()
        return (
            sorted(json.dumps([sorted(n["l"]), n["p"]], sort_keys=True) for n in nodes),
            sorted(json.dumps(r, sort_keys=True) for r in rels),
        )


@pytest.fixture
def accords(tmp_path: Path, neo4j_uri: str) -> Accords:
    open_store(str(tmp_path / "a.db"), create=True).close()
    return Accords(tmp_path / "a.db", neo4j_uri)
