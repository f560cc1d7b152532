"""The cypher, query and project commands against a real Neo4j: parameters bound as
values, writes refused, output formats, the clocks, and failures that exit 2."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.neo4j
HERE = Path(__file__).parent
SAMPLE = HERE.parent / "events" / "data" / "sample.jsonl"


# -- parameters, writes, formats, clocks ----------------------------------------------------------

WEIRD = [
    'Example News" } ; DROP',
    "it's",
    "}",
    "{x}",
    "$as_of",
    "a > b",
    "line\nbreak",
    "MATCH (n) DETACH DELETE n",
    "' OR 1=1 //",
    "`backtick`",
]


def test_parameters_come_back_as_values(accords: Any) -> None:
    accords.ok("import", str(SAMPLE))
    accords.ok("project", "neo4j")
    for value in WEIRD:
        out = json.loads(accords.ok("cypher", "RETURN $v AS v", "--param", f"v={value}", "--format", "json").stdout)
        assert out == [{"v": value}]
        named = accords.ok(
            "query", "claims-by-outlet", "--engine", "cypher", "-p", f"publisher={value}", "--format", "json"
        )
        assert json.loads(named.stdout) == []
    named = accords.ok("query", "claims-by-outlet", "--engine", "cypher", "--format", "json")
    assert len(json.loads(named.stdout)) == 2
    assert (
        accords("query", "agreements-by-state", "--engine", "cypher", "-p", "state=state/RW'}) RETURN 1 //").exit_code
        == 2
    )
    nodes = accords.ok("cypher", "MATCH (n) RETURN count(n) AS n", "--format", "csv").stdout
    assert nodes.splitlines()[1] != "0"


def test_cypher_writes_are_refused(accords: Any) -> None:
    accords.ok("import", str(SAMPLE))
    accords.ok("project", "neo4j")
    before = accords.snapshot()
    result = accords("cypher", "MATCH (n) DETACH DELETE n")
    assert result.exit_code == 2
    assert "writes are refused" in result.stderr
    assert accords.snapshot() == before
    assert accords("cypher", "MATCH (n RETURN n").exit_code == 2


def test_cypher_formats_and_stdin(accords: Any) -> None:
    accords.ok("import", str(SAMPLE))
    accords.ok("project", "neo4j")
    q = "MATCH (a:Agreement)-[:PARTY]->(s:State) RETURN s.label AS state, s.iri AS iri ORDER BY state"
    assert accords.ok("cypher", q, "--format", "csv").stdout.splitlines() == [
        "state,iri",
        "Rwanda,https://w3id.org/accords/id/state/RW",
        "United States,https://w3id.org/accords/id/state/US",
    ]
    assert accords.ok("cypher", q, "--format", "tsv").stdout.splitlines()[0] == "state\tiri"
    table = accords.ok("cypher", q, "--format", "table").stdout
    assert "state/RW" in table and "https://" not in table
    assert (
        accords("cypher", "-", "--format", "json", input=q).stdout == accords.ok("cypher", q, "--format", "json").stdout
    )
    past = accords.ok(
        "cypher",
        "MATCH (c:Claim) WHERE c.seq <= toInteger($as_of) RETURN count(c) AS n",
        "--as-of",
        "2",
        "--format",
        "json",
    )
    assert json.loads(past.stdout) == [{"n": 1}]
    ahead = accords("cypher", "MATCH (c:Claim) WHERE c.seq <= toInteger($as_of) RETURN count(c) AS n", "--as-of", "5")
    assert ahead.exit_code == 2 and "past what Neo4j reflects (seq 4)" in ahead.stderr


def test_the_clocks_are_bound_and_a_clock_the_query_never_reads_is_refused(accords: Any) -> None:
    accords.ok("import", str(SAMPLE))
    accords.ok("project", "neo4j")
    q = "RETURN $as_of AS a, $known_by AS k, $valid_at AS v"
    assert json.loads(accords.ok("cypher", q, "--format", "json").stdout) == [{"a": 4, "k": None, "v": None}]
    bound = accords.ok(
        "cypher", q, "--as-of", "2", "--known-by", "2025-05-01", "--valid-at", "2025-06-30", "--format", "json"
    )
    assert json.loads(bound.stdout) == [{"a": 2, "k": "2025-05-01", "v": "2025-06-30"}]
    for option, value in (("--known-by", "2025-05-01"), ("--valid-at", "2025-05-01"), ("--as-of", "2")):
        refused = accords("cypher", "MATCH (c:Claim) RETURN count(c) AS n", option, value)
        assert refused.exit_code == 2
        assert option in refused.stderr and "never reads" in refused.stderr
    assert accords("cypher", q, "--known-by", "May 2025").exit_code == 2
    assert "--valid-at" in accords("query", "payments", "--engine", "cypher", "--valid-at", "2025-13-01").stderr


# -- failures: exit 2, a message that says which, and the head does not move ----------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_a_wrong_uri_or_a_refused_connection_exits_2(accords: Any) -> None:
    accords.ok("import", str(SAMPLE))
    for uri in ("localhost:7687", "http://localhost:7474", "bolt://"):
        result = accords("project", "neo4j", "--neo4j", uri)
        assert result.exit_code == 2, result.output
        assert "is not a Neo4j Bolt URI" in result.stderr and "bolt://HOST:7687" in result.stderr
    refused = accords("project", "neo4j", "--neo4j", f"bolt://127.0.0.1:{_free_port()}")
    assert refused.exit_code == 2
    assert "cannot connect to Neo4j" in refused.stderr and "refused" in refused.stderr
    assert "ACCORDS_NEO4J_URI" in refused.stderr
    assert accords("cypher", "RETURN 1", "--neo4j", f"bolt://127.0.0.1:{_free_port()}").exit_code == 2
    assert accords("query", "payments", "--engine", "cypher", "--neo4j", "nope").exit_code == 2
    assert accords("project", "neo4j", "--database", "nope").exit_code == 2
    assert accords.graph_head() == (0, "0" * 64)


@pytest.fixture(scope="session")
def auth_neo4j(neo4j_service: str) -> Iterator[str]:
    """A second, throwaway Neo4j with authentication on (user neo4j, password neo4j); it
    asks for the main server, so that it fails in CI and skips on a laptop alike."""
    classpath = HERE.parent / "neo4j" / "cp.txt"
    java = shutil.which(os.environ.get("NEO4J_JAVA", "java"))
    if not classpath.exists() or java is None:
        pytest.fail("tests/neo4j/cp.txt or java is missing: run tests/neo4j/server.sh start once")
    port, home = _free_port(), tempfile.mkdtemp(prefix="accords-neo4j-auth.")
    log = open(Path(home) / "server.log", "w")
    process = subprocess.Popen(
        [
            java,
            "-Xmx512m",
            "-cp",
            classpath.read_text().strip(),
            str(HERE.parent / "neo4j" / "Launcher.java"),
            str(port),
            home,
            "auth",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 180
        while "NEO4J READY" not in (Path(home) / "server.log").read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the auth Neo4j did not start: " + (Path(home) / "server.log").read_text()[-2000:])
            time.sleep(0.5)
        yield f"bolt://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(60)
        log.close()
        shutil.rmtree(home, ignore_errors=True)


def test_bad_credentials_exit_2(accords: Any, auth_neo4j: str) -> None:
    accords.ok("import", str(SAMPLE))
    result = accords("project", "neo4j", "--neo4j", auth_neo4j, "--user", "neo4j", "--password", "wrong")
    assert result.exit_code == 2, result.output
    assert "refused the credentials of user 'neo4j'" in result.stderr
    assert "--user/--password" in result.stderr
    no_password = accords("cypher", "RETURN 1", "--neo4j", auth_neo4j)
    assert no_password.exit_code == 2
