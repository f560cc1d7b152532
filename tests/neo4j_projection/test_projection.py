"""The Neo4j projection against a real server: it agrees with the RDF projection, is
idempotent and incremental, traces, binds parameters, and fails cleanly.

Rows of the two forms of a named query are compared as text by the rule documented in
accords.graph.cypher: full IRIs, accords vocabulary terms by local name, literals by
lexical value, numbers as plain decimals, booleans true/false.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from accords.cli import cli
from accords.events.log import Draft, Log
from accords.events.store import open_store
from accords.graph.cypher import Graph, Target
from accords.graph.neo4j import Neo4jProjection
from accords.queries.library import library

pytestmark = pytest.mark.neo4j
HERE = Path(__file__).parent
SAMPLE = HERE.parent / "events" / "data" / "sample.jsonl"
ACC = "https://w3id.org/accords/ns#"
STATES = ["RW", "CR", "XK", "MX", "GT", "SV", "PA", "PE", "LY", "SS"]
NUMERIC = {"http://www.w3.org/2001/XMLSchema#" + t for t in ("integer", "decimal", "double")}


def _service_url() -> str:
    # conftest's helper, imported by path: pytest runs with --import-mode=importlib
    import importlib.util

    spec = importlib.util.spec_from_file_location("_conftest", HERE.parent / "conftest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    url: str = module.service_url("ACCORDS_TEST_NEO4J", "Neo4j")
    return url


@pytest.fixture
def neo4j_uri() -> Iterator[str]:
    """The test server, emptied: no nodes, no constraints."""
    uri = _service_url()
    graph = Graph(Target(uri))
    with graph.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        for record in list(session.run("SHOW CONSTRAINTS YIELD name")):
            session.run(f"DROP CONSTRAINT `{record['name']}`").consume()  # a schema name, not a value
    graph.close()
    yield uri


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


@pytest.fixture
def accords(tmp_path: Path, neo4j_uri: str) -> Accords:
    open_store(str(tmp_path / "a.db"), create=True).close()
    return Accords(tmp_path / "a.db", neo4j_uri)


# -- a generated history ---------------------------------------------------------------


def source(key: str, published: str = "2025-06", publisher: str = "P") -> Draft:
    return Draft("SourceRegistered", {"title": f"title {key}", "kind": "news", "publisher": publisher,
                                      "published": published}, key)  # fmt: skip


def claim(key: str, src: str, statement: dict[str, Any], valid: str, polarity: str = "affirmed") -> Draft:
    return Draft("ClaimRecorded", {"source": src, "quote": f"quote of {key}", "attributed_to": "officials",
                                   "certainty": "reported", "polarity": polarity, "statement": statement,
                                   "valid_time": valid}, key)  # fmt: skip


def statement(rng: random.Random) -> dict[str, Any]:
    state = rng.choice(STATES)
    roll = rng.random()
    if roll < 0.5:
        st: dict[str, Any] = {"@id": f"agreement/us-{state.lower()}", "@type": "Agreement",
                              "parties": ["state/US", f"state/{state}"]}  # fmt: skip
        if rng.random() < 0.5:
            st["status"] = rng.choice(["reported", "signed", "in_force"])
        if rng.random() < 0.3:
            st["legal_form"] = rng.choice(["treaty", "memorandum_of_understanding"])
        if rng.random() < 0.3:
            st["in_force"] = f"2025-0{rng.randint(1, 6)}"
        if rng.random() < 0.1:
            st["terminated"] = f"2025-0{rng.randint(4, 9)}"
        return st
    if roll < 0.6:
        return {"@type": "Transfer", "from": "state/US", "to": f"state/{state}", "people": rng.choice([12, "about 30"]),
                "date": f"2025-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"}  # fmt: skip
    if roll < 0.75:
        st = {"@id": f"payment/us-{state.lower()}", "@type": "Payment", "payer": "state/US", "payee": f"state/{state}"}
        if rng.random() < 0.6:
            st["amount"] = rng.choice(["about 5 million", "7000000"])
            st["currency"] = "USD"
        if rng.random() < 0.4:
            st["purpose"] = "taking in deportees"
        return st
    return {"@type": "Stance", "state": f"state/{state}", "toward": "state/US",
            "position": rng.choice(["willing", "resisting"])}  # fmt: skip


def history(rng: random.Random, n: int) -> list[Draft]:
    """Sources, claims (some denied), retractions and corrections, in a random order."""
    drafts: list[Draft] = [source("src-0", publisher="Example News")]
    claims: list[str] = []
    for i in range(1, n):
        roll = rng.random()
        if roll < 0.1:
            drafts.append(source(f"src-{i}", f"2025-0{rng.randint(1, 9)}", rng.choice(["Example News", "Other"])))
        elif roll < 0.8 or len(claims) < 2:
            src = str(rng.choice([d.key for d in drafts if d.type == "SourceRegistered"]))
            polarity = "denied" if rng.random() < 0.1 else "affirmed"
            drafts.append(claim(f"claim-{i}", src, statement(rng), f"2025-0{rng.randint(1, 9)}", polarity))
            claims.append(f"claim-{i}")
        elif roll < 0.92:
            drafts.append(Draft("ClaimRetracted", {"claim": rng.choice(claims), "reason": "other",
                                                   "note": "a note with \"quotes\""}))  # fmt: skip
        else:
            old, new = rng.sample(claims, 2)
            drafts.append(Draft("ClaimCorrected", {"claim": old, "replacement": new, "reason": "recording_error"}))
    return drafts


# -- comparing the two engines --------------------------------------------------------------


def _number(text: Any) -> str:
    return format(Decimal(str(text)).normalize(), "f")


def sparql_rows(result: Result) -> list[str]:
    def cell(b: dict[str, str]) -> str:
        if b["type"] == "uri":
            return b["value"].removeprefix(ACC)
        return _number(b["value"]) if b.get("datatype") in NUMERIC else b["value"]

    rows = json.loads(result.stdout)["results"]["bindings"]
    return sorted(json.dumps({k: cell(v) for k, v in row.items()}, sort_keys=True) for row in rows)


def cypher_rows(result: Result) -> list[str]:
    def cell(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return _number(v)
        return str(v).removeprefix(ACC)

    rows = json.loads(result.stdout)
    return sorted(json.dumps({k: cell(v) for k, v in row.items() if v is not None}, sort_keys=True) for row in rows)


def twins() -> list[str]:
    return [q.name for q in library().values() if q.sparql and q.cypher]


def assert_agree(accords: Accords, name: str, params: list[str], clocks: list[str]) -> int:
    args = ["query", name, *params, *clocks, "--format", "json"]
    rdf, neo = accords(*args), accords(*args, "--engine", "cypher")
    assert rdf.exit_code == neo.exit_code == 0, rdf.stderr + neo.stderr
    expected, found = sparql_rows(rdf), cypher_rows(neo)
    assert found == expected, f"{name} {params} {clocks}"
    return len(expected)


def params_for(name: str, states: list[str], publisher: str) -> list[list[str]]:
    """The parameter sets to ask a query with: each state for a state's query, the publisher."""
    needs = {p.name for p in library()[name].params}
    publisher = ["--param", f"publisher={publisher}"] if "publisher" in needs else []
    if "state" not in needs:
        return [publisher]
    return [["--param", f"state=state/{state}"] + publisher for state in states]


def agree_everywhere(accords: Accords, states: list[str], points: list[list[str]],
                     publisher: str = "Example News") -> dict[str, int]:  # fmt: skip
    """Every twin at every point of the clocks: the rows each query returned in all."""
    seen = dict.fromkeys(twins(), 0)
    for clocks in points:
        for name in twins():
            for params in params_for(name, states, publisher):
                seen[name] += assert_agree(accords, name, params, clocks)
    return seen


def clock_points(seqs: list[int], dates: list[str]) -> list[list[str]]:
    """Now; some seqs; some dates of publication and of validity; and all three at once."""
    return ([[]] + [["--as-of", str(n)] for n in seqs] + [["--known-by", d] for d in dates]
            + [["--valid-at", d] for d in dates]
            + [["--as-of", str(seqs[-1]), "--known-by", dates[-1], "--valid-at", dates[0]]])  # fmt: skip


def test_every_named_query_has_its_twin_where_it_makes_sense() -> None:
    assert set(twins()) == {q.name for q in library().values() if q.sparql}


def test_the_projections_agree_on_the_seed_record(accords: Accords) -> None:
    accords.ok("import", "--seed")
    accords.ok("project", "neo4j")
    store = open_store(str(accords.store))
    seq = store.head().seq
    store.close()
    seen = agree_everywhere(accords, ["RW", "PE", "LY", "US"],
                            clock_points([1, 3, seq // 2, seq - 1], ["2025-01-31", "2025-06-30", "2025-12-31"]))
    assert sum(seen.values()) > 100
    assert all(seen[name] > 0 for name in ("agreements-by-state", "payments", "single-source-claims",
                                           "states-asked-not-agreed", "state-timeline", "anonymous-claims"))


def test_the_projections_agree_on_the_sample(accords: Accords) -> None:
    accords.ok("import", str(SAMPLE))
    accords.ok("project", "neo4j")
    seen = agree_everywhere(accords, ["RW", "PE", "US"], clock_points([1, 2, 3, 4], ["2025-03-01", "2025-09-30"]))
    assert sum(seen.values()) > 20


@pytest.mark.parametrize("seed", [1, 2])
def test_the_projections_agree_on_a_generated_history(accords: Accords, seed: int) -> None:
    rng = random.Random(seed)
    drafts = history(rng, 160)
    log = Log(open_store(str(accords.store)), "tester")
    for chunk in (drafts[:60], drafts[60:]):  # projected in two runs: the second catches up
        log.append(chunk)
        accords.ok("project", "neo4j", "--batch", "25")
    seqs = sorted(rng.sample(range(1, len(drafts) + 1), 4))
    seen = agree_everywhere(accords, [rng.choice(STATES)], clock_points(seqs, ["2025-03-15", "2025-06-30"]))
    assert sum(seen.values()) > 50


def realistic(n: int, seed: int) -> list[Draft]:
    """n events of the benchmark's generator: every statement type, derived sources,
    denials, retractions and corrections."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_generate", HERE.parents[1] / "bench" / "generate.py")
    assert spec and spec.loader
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    return [Draft(e["type"], e["body"], e.get("key")) for e in generate.events(n, seed)]


def test_the_projections_agree_on_a_realistic_history(accords: Accords) -> None:
    drafts = realistic(700, 4)
    log = Log(open_store(str(accords.store)), "tester")
    for chunk in (drafts[:400], drafts[400:]):
        log.append(chunk)
        accords.ok("project", "neo4j", "--batch", "150")
    assert {d.type for d in drafts} >= {"ClaimRetracted", "ClaimCorrected"}
    seen = agree_everywhere(accords, ["RW", "SV", "LY"], clock_points([250, 500], ["2024-06-30", "2025-03-31"]),
                            publisher="Politico")  # fmt: skip
    empty = {name for name, n in seen.items() if n == 0}
    assert not empty, f"no rows to compare from {sorted(empty)}"


# -- idempotent and incremental ---------------------------------------------------------------


def snapshot(uri: str) -> tuple[list[str], list[str]]:
    """Every node and relationship with its labels/type and properties, as sorted text."""
    graph = Graph(Target(uri))
    key = "coalesce(n.iri, n.id, n.name)"
    _, nodes = graph.read(f"MATCH (n) WHERE NOT n:AccordsProjection RETURN labels(n) AS l, properties(n) AS p, {key} AS k")
    _, rels = graph.read("MATCH (a)-[r]->(b) RETURN coalesce(a.iri, a.id, a.name) AS a, type(r) AS t, "
                         "properties(r) AS p, coalesce(b.iri, b.id, b.name) AS b")  # fmt: skip
    graph.close()
    return (sorted(json.dumps([sorted(n["l"]), n["p"]], sort_keys=True) for n in nodes),
            sorted(json.dumps(r, sort_keys=True) for r in rels))  # fmt: skip


def test_projecting_twice_changes_nothing_and_catching_up_equals_a_rebuild(accords: Accords) -> None:
    drafts = history(random.Random(7), 200)
    log = Log(open_store(str(accords.store)), "tester")
    log.append(drafts[:120])
    accords.ok("project", "neo4j", "--batch", "17")
    first = snapshot(accords.uri)
    again = accords.ok("project", "neo4j")
    assert "up to date" in again.stderr
    assert snapshot(accords.uri) == first
    log.append(drafts[120:])
    accords.ok("project", "neo4j", "--batch", "9")  # incremental, in small batches
    caught_up = snapshot(accords.uri)
    accords.ok("project", "neo4j", "--rebuild")  # one batch, from nothing
    assert snapshot(accords.uri) == caught_up
    assert len(caught_up[0]) > 100 and len(caught_up[1]) > 300


def test_a_date_read_back_in_a_catch_up_stays_one_date(accords: Accords) -> None:
    log = Log(open_store(str(accords.store)), "tester")
    rw = {"@id": "agreement/us-rw", "@type": "Agreement", "parties": ["state/US", "state/RW"], "in_force": "2025-05"}
    log.append([source("s1"), claim("c1", "s1", rw, "2025")])
    accords.ok("project", "neo4j")
    log.append([claim("c2", "s1", rw, "2025")])  # the same date, stated again in a later run
    accords.ok("project", "neo4j")
    q = "MATCH (a:Agreement) RETURN a.inForceDateEarliest AS d"
    assert json.loads(accords.ok("cypher", q, "--format", "json").stdout) == [{"d": "2025-05-01"}]
    caught_up = snapshot(accords.uri)
    accords.ok("project", "neo4j", "--rebuild")
    assert snapshot(accords.uri) == caught_up


def test_belief_intervals_follow_retractions(accords: Accords) -> None:
    log = Log(open_store(str(accords.store)), "tester")
    rw = {"@id": "agreement/us-rw", "@type": "Agreement", "parties": ["state/US", "state/RW"]}
    log.append([source("s1"), claim("c1", "s1", rw, "2025"), claim("c2", "s1", rw, "2025"),
                Draft("ClaimRetracted", {"claim": "c1", "reason": "other"}),
                Draft("ClaimRetracted", {"claim": "c2", "reason": "other"}),
                claim("c3", "s1", rw, "2025")])  # fmt: skip
    accords.ok("project", "neo4j")
    q = ("MATCH (:Agreement {iri: 'https://w3id.org/accords/id/agreement/us-rw'})-[p:PARTY]->(:State {label: 'Rwanda'}) "
         "RETURN p.believed AS b, p.believed_from AS f, p.believed_until AS u, size(p.claims) AS n")  # fmt: skip
    row = json.loads(accords.ok("cypher", q, "--format", "json").stdout)
    assert row == [{"b": True, "f": [2, 6], "u": [5], "n": 3}]  # c1 or c2 from 2 until 5; c3 from 6


# -- trace, parameters, writes ---------------------------------------------------------------------


def test_the_trace_query_reaches_claims_quotes_and_sources_from_any_agreement(accords: Accords) -> None:
    log = Log(open_store(str(accords.store)), "tester")
    log.append(history(random.Random(3), 120))
    log.append([Draft("SourceRegistered", {"title": "cable", "kind": "leaked_document"}, "cable"),
                Draft("SourceRegistered", {"title": "report", "kind": "news", "publisher": "X",
                                           "derived_from": ["cable"]}, "report"),
                claim("c-derived", "report", {"@id": "agreement/us-rw", "@type": "Agreement",
                                              "parties": ["state/US", "state/RW"]}, "2025")])  # fmt: skip
    accords.ok("project", "neo4j")
    agreements = json.loads(accords.ok("cypher", "MATCH (a:Agreement) RETURN a.iri AS iri, a.claims AS claims",
                                       "--format", "json").stdout)  # fmt: skip
    assert agreements
    for a in agreements:
        rows = json.loads(accords.ok("query", "agreement-trace", "--engine", "cypher", "--param",
                                     f"agreement={a['iri']}", "--format", "json").stdout)  # fmt: skip
        assert sorted(r["claim"].rsplit("/", 1)[1] for r in rows) == sorted(a["claims"])
        assert all(r["quote"] and r["source"] and r["speaker"] for r in rows)
    rw = json.loads(accords.ok("query", "agreement-trace", "--engine", "cypher", "-p", "agreement=agreement/us-rw",
                               "--format", "json").stdout)  # fmt: skip
    assert any(r["derived_from"] == ["cable"] for r in rw)


WEIRD = ['Example News" } ; DROP', "it's", "}", "{x}", "$as_of", "a > b", "line\nbreak",
         "MATCH (n) DETACH DELETE n", "' OR 1=1 //", "`backtick`"]  # fmt: skip


def test_parameters_come_back_as_values(accords: Accords) -> None:
    accords.ok("import", str(SAMPLE))
    accords.ok("project", "neo4j")
    for value in WEIRD:
        out = json.loads(accords.ok("cypher", "RETURN $v AS v", "--param", f"v={value}", "--format", "json").stdout)
        assert out == [{"v": value}]
        named = accords.ok("query", "claims-by-outlet", "--engine", "cypher", "-p", f"publisher={value}", "--format", "json")
        assert json.loads(named.stdout) == []
    named = accords.ok("query", "claims-by-outlet", "--engine", "cypher", "--format", "json")
    assert len(json.loads(named.stdout)) == 2
    assert accords("query", "agreements-by-state", "--engine", "cypher", "-p", "state=state/RW'}) RETURN 1 //").exit_code == 2
    nodes = accords.ok("cypher", "MATCH (n) RETURN count(n) AS n", "--format", "csv").stdout
    assert nodes.splitlines()[1] != "0"


def test_cypher_writes_are_refused(accords: Accords) -> None:
    accords.ok("import", str(SAMPLE))
    accords.ok("project", "neo4j")
    before = snapshot(accords.uri)
    result = accords("cypher", "MATCH (n) DETACH DELETE n")
    assert result.exit_code == 2
    assert "writes are refused" in result.stderr
    assert snapshot(accords.uri) == before
    assert accords("cypher", "MATCH (n RETURN n").exit_code == 2


def test_cypher_formats_and_stdin(accords: Accords) -> None:
    accords.ok("import", str(SAMPLE))
    accords.ok("project", "neo4j")
    q = "MATCH (a:Agreement)-[:PARTY]->(s:State) RETURN s.label AS state, s.iri AS iri ORDER BY state"
    assert accords.ok("cypher", q, "--format", "csv").stdout.splitlines() == [
        "state,iri", "Rwanda,https://w3id.org/accords/id/state/RW", "United States,https://w3id.org/accords/id/state/US"]  # fmt: skip
    assert accords.ok("cypher", q, "--format", "tsv").stdout.splitlines()[0] == "state\tiri"
    table = accords.ok("cypher", q, "--format", "table").stdout
    assert "state/RW" in table and "https://" not in table
    assert accords("cypher", "-", "--format", "json", input=q).stdout == accords.ok("cypher", q, "--format", "json").stdout
    past = accords.ok("cypher", "MATCH (c:Claim) WHERE c.seq <= toInteger($as_of) RETURN count(c) AS n",
                      "--as-of", "2", "--format", "json")  # fmt: skip
    assert json.loads(past.stdout) == [{"n": 1}]


def test_the_clocks_are_bound_and_a_clock_the_query_never_reads_is_refused(accords: Accords) -> None:
    accords.ok("import", str(SAMPLE))
    accords.ok("project", "neo4j")
    q = "RETURN $as_of AS a, $known_by AS k, $valid_at AS v"
    assert json.loads(accords.ok("cypher", q, "--format", "json").stdout) == [{"a": 4, "k": None, "v": None}]
    bound = accords.ok("cypher", q, "--as-of", "2", "--known-by", "2025-05-01", "--valid-at", "2025-06-30", "--format", "json")
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


def head(uri: str) -> tuple[int, str]:
    graph = Graph(Target(uri))
    found = Neo4jProjection(graph).head()
    graph.close()
    return found.seq, found.hash


def test_a_wrong_uri_or_a_refused_connection_exits_2(accords: Accords) -> None:
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
    assert head(accords.uri) == (0, "0" * 64)


def test_a_failing_batch_leaves_nothing_half_projected(accords: Accords, monkeypatch: pytest.MonkeyPatch) -> None:
    from accords.graph import neo4j_writes

    log = Log(open_store(str(accords.store)), "tester")
    drafts = history(random.Random(5), 70)
    log.append(drafts[:40])
    accords.ok("project", "neo4j")
    before, state = head(accords.uri), snapshot(accords.uri)
    log.append(drafts[40:])
    monkeypatch.setitem(neo4j_writes.Q, "claim", neo4j_writes.Q["claim"] + " WITH 1 AS x RETURN 1 / 0")  # fails mid-batch
    result = accords("project", "neo4j")
    assert result.exit_code != 0
    assert head(accords.uri) == before and snapshot(accords.uri) == state
    monkeypatch.undo()
    accords.ok("project", "neo4j")
    assert head(accords.uri)[0] == log.store.head().seq


def test_a_graph_of_another_log_is_refused_unless_rebuilt(accords: Accords, tmp_path: Path) -> None:
    accords.ok("import", str(SAMPLE))
    accords.ok("project", "neo4j")
    other = Accords(tmp_path / "other.db", accords.uri)
    open_store(str(other.store), create=True).close()
    Log(open_store(str(other.store)), "someone-else").append(history(random.Random(9), 10))
    refused = other("project", "neo4j")
    assert refused.exit_code == 2
    assert "another log" in refused.stderr and "--rebuild" in refused.stderr
    assert head(accords.uri)[0] == 4
    other.ok("project", "neo4j", "--rebuild")
    assert head(accords.uri)[0] == 10


@pytest.fixture(scope="session")
def auth_neo4j() -> Iterator[str]:
    """A second, throwaway Neo4j with authentication on (user neo4j, password neo4j)."""
    _service_url()  # same rule as the main server: fail in CI, skip on a laptop
    classpath = HERE.parent / "neo4j" / "cp.txt"
    java = shutil.which(os.environ.get("NEO4J_JAVA", "java"))
    if not classpath.exists() or java is None:
        pytest.fail("tests/neo4j/cp.txt or java is missing: run tests/neo4j/server.sh start once")
    port, home = _free_port(), tempfile.mkdtemp(prefix="accords-neo4j-auth.")
    log = open(Path(home) / "server.log", "w")
    process = subprocess.Popen([java, "-Xmx512m", "-cp", classpath.read_text().strip(), str(HERE.parent / "neo4j" / "Launcher.java"),
                                str(port), home, "auth"], stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
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


def test_bad_credentials_exit_2(accords: Accords, auth_neo4j: str) -> None:
    accords.ok("import", str(SAMPLE))
    result = accords("project", "neo4j", "--neo4j", auth_neo4j, "--user", "neo4j", "--password", "wrong")
    assert result.exit_code == 2, result.output
    assert "refused the credentials of user 'neo4j'" in result.stderr
    assert "--user/--password" in result.stderr
    no_password = accords("cypher", "RETURN 1", "--neo4j", auth_neo4j)
    assert no_password.exit_code == 2
