"""The Neo4j projection against a real server: it agrees with the RDF projection, is
idempotent and incremental, traces, and fails cleanly.

Rows of the two forms of a named query are compared as text by the rule documented in
accords.graph.neo4j_driver: full IRIs, accords vocabulary terms by local name, literals by
lexical value, numbers as plain decimals, booleans true/false.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from accords.cypher import reads_clocks
from accords.events.log import Draft, Log
from accords.events.backends import open_store
from accords.graph.judgement import in_order
from accords.graph.neo4j import Neo4jProjection
from accords.graph.neo4j_driver import Graph, Target
from accords.graph.neo4j_writes import LAYOUT
from accords.queries.library import library

pytestmark = pytest.mark.neo4j
HERE = Path(__file__).parent
SAMPLE = HERE.parent / "events" / "data" / "sample.jsonl"
ACC = "https://w3id.org/accords/ns#"
STATES = ["RW", "CR", "XK", "MX", "GT", "SV", "PA", "PE", "LY", "SS"]
NUMERIC = {"http://www.w3.org/2001/XMLSchema#" + t for t in ("integer", "decimal", "double")}


# -- a generated history ---------------------------------------------------------------


def source(key: str, published: str = "2025-06", publisher: str = "P") -> Draft:
    return Draft(
        "SourceRegistered",
        {"title": f"title {key}", "kind": "news", "publisher": publisher, "published": published},
        key,
    )


def claim(key: str, src: str, statement: dict[str, Any], valid: str, polarity: str = "affirmed") -> Draft:
    return Draft(
        "ClaimRecorded",
        {
            "source": src,
            "quote": f"quote of {key}",
            "attributed_to": "officials",
            "certainty": "reported",
            "polarity": polarity,
            "statement": statement,
            "valid_time": valid,
        },
        key,
    )


def statement(rng: random.Random) -> dict[str, Any]:
    state = rng.choice(STATES)
    roll = rng.random()
    if roll < 0.5:
        st: dict[str, Any] = {
            "@id": f"agreement/us-{state.lower()}",
            "@type": "Agreement",
            "parties": ["state/US", f"state/{state}"],
        }
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
        return {
            "@type": "Transfer",
            "from": "state/US",
            "to": f"state/{state}",
            "people": rng.choice([12, "about 30"]),
            "date": f"2025-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        }
    if roll < 0.75:
        st = {"@id": f"payment/us-{state.lower()}", "@type": "Payment", "payer": "state/US", "payee": f"state/{state}"}
        if rng.random() < 0.6:
            st["amount"] = rng.choice(["about 5 million", "7000000"])
            st["currency"] = "USD"
        if rng.random() < 0.4:
            st["purpose"] = "taking in deportees"
        return st
    return {
        "@type": "Stance",
        "state": f"state/{state}",
        "toward": "state/US",
        "position": rng.choice(["willing", "resisting"]),
    }


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
            drafts.append(
                Draft(
                    "ClaimRetracted", {"claim": rng.choice(claims), "reason": "other", "note": 'a note with "quotes"'}
                )
            )
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

    def ordered(name: str, text: str) -> str:  # GROUP_CONCAT: the judgement's rows in Neo4j are in order
        return in_order(text) if name == "sides" else " ".join(sorted(set(text.split()))) if name == "claims" else text

    rows = json.loads(result.stdout)["results"]["bindings"]
    return sorted(json.dumps({k: ordered(k, cell(v)) for k, v in row.items()}, sort_keys=True) for row in rows)


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


def assert_agree(accords: Any, name: str, params: list[str], clocks: list[str]) -> int:
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


def agree_everywhere(
    accords: Any, states: list[str], points: list[list[str]], publisher: str = "Example News"
) -> dict[str, int]:
    """Every twin at every point of the clocks: the rows each query returned in all."""
    seen = dict.fromkeys(twins(), 0)
    for clocks in points:
        for name in twins():
            if clocks and not reads_clocks(str(library()[name].cypher)):
                continue  # a Cypher form that reads no clock answers for the graph's head, and refuses clocks
            for params in params_for(name, states, publisher):
                seen[name] += assert_agree(accords, name, params, clocks)
    return seen


def clock_points(seqs: list[int], dates: list[str]) -> list[list[str]]:
    """Now; some seqs; some dates of publication and of validity; and all three at once."""
    return (
        [[]]
        + [["--as-of", str(n)] for n in seqs]
        + [["--known-by", d] for d in dates]
        + [["--valid-at", d] for d in dates]
        + [["--as-of", str(seqs[-1]), "--known-by", dates[-1], "--valid-at", dates[0]]]
    )


def test_every_named_query_has_its_twin_where_it_makes_sense() -> None:
    assert set(twins()) == {q.name for q in library().values() if q.sparql}


def test_the_projections_agree_on_the_seed_record(accords: Any) -> None:
    accords.ok("import", "--seed")
    accords.ok("project", "neo4j")
    store = open_store(str(accords.store))
    seq = store.head().seq
    store.close()
    seen = agree_everywhere(
        accords,
        ["RW", "PE", "LY", "US"],
        clock_points([1, 3, seq // 2, seq - 1], ["2025-01-31", "2025-06-30", "2025-12-31"]),
    )
    assert sum(seen.values()) > 100
    assert all(
        seen[name] > 0
        for name in (
            "agreements-by-state",
            "payments",
            "single-source-claims",
            "states-asked-not-agreed",
            "state-timeline",
            "anonymous-claims",
        )
    )


def test_the_projections_agree_on_the_sample(accords: Any) -> None:
    accords.ok("import", str(SAMPLE))
    accords.ok("project", "neo4j")
    seen = agree_everywhere(accords, ["RW", "PE", "US"], clock_points([1, 2, 3, 4], ["2025-03-01", "2025-09-30"]))
    assert sum(seen.values()) > 20


@pytest.mark.parametrize(
    "path",
    sorted((HERE.parent / "graph" / "fixtures" / "disagreements").glob("*/*/*.jsonl")),
    ids=lambda p: "/".join(p.parts[-3:]),
)
def test_the_engines_judge_each_crafted_pair_alike(accords: Any, tmp_path: Path, path: Path) -> None:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "_expect" not in line]
    (tmp_path / "pair.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    accords.ok("import", str(tmp_path / "pair.jsonl"))
    accords.ok("project", "neo4j")
    assert assert_agree(accords, "contradictions", [], []) == (path.parts[-2] == "conflict")


def test_the_engines_find_claims_on_flagged_sources_alike(accords: Any) -> None:
    """Assessments flag a rewrite, a satire page and a wire story, then clear the wire's:
    at each point of the clocks the engines list the same claims with the same flags."""
    accords.ok("import", str(HERE.parent / "graph" / "fixtures" / "assessments" / "wire-and-rewrite.jsonl"))
    accords.ok("project", "neo4j")
    points = [[], ["--as-of", "7"], ["--as-of", "8"], ["--as-of", "9"], ["--known-by", "2025-08-15"]]
    assert [assert_agree(accords, "claims-on-flagged-sources", [], clocks) for clocks in points] == [1, 0, 1, 3, 0]


def test_the_engines_count_sources_per_fact_alike(accords: Any) -> None:
    accords.ok("import", str(HERE.parent / "graph" / "fixtures" / "single-source" / "payment-one-page.jsonl"))
    accords.ok("project", "neo4j")
    # the payment's existence, amount and currency (a page and its reprint), the agreement's status
    assert assert_agree(accords, "single-source-claims", [], []) == 4


def test_the_engines_give_each_side_the_same_latest_word(accords: Any) -> None:
    accords.ok("import", str(HERE.parent / "graph" / "fixtures" / "latest-word" / "ministry-after-minister.jsonl"))
    accords.ok("project", "neo4j")
    assert assert_agree(accords, "latest-word", [], []) == 1  # Uganda's; the opposition speaks for itself


def test_the_projections_agree_on_real_reporting(accords: Any) -> None:
    # actors as parties, payers and speakers, statements in lists, quantities, undated pages
    accords.ok("import", *map(str, sorted((HERE.parent / "corpus").glob("*.jsonl"))))
    accords.ok("project", "neo4j")
    seen = agree_everywhere(
        accords,
        ["SZ", "SS", "GH", "UG", "SV", "CR", "XK", "US"],
        clock_points([40, 200], ["2025-07-16", "2025-12-31"]),
        publisher="Reuters",
    )
    assert sum(seen.values()) > 100
    assert seen["court-rulings"] > 10  # the generated histories hold no rulings, nor numbers with roles: these pages do
    assert seen["caps-and-quotas"] > 10
    assert seen["latest-word"] > 10  # words of ministries, ministers, factions and rival governments
    assert seen["single-source-claims"] > 100


@pytest.mark.parametrize("seed", [1, 2])
def test_the_projections_agree_on_a_generated_history(accords: Any, seed: int) -> None:
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


def test_the_projections_agree_on_a_realistic_history(accords: Any) -> None:
    drafts = realistic(700, 4) + [  # a fact-checker flags three sources, and clears one
        Draft("SourceAssessed", {"source": source, "flags": flags, "assessor": "Desk"})
        for source, flags in [
            ("src-0000000", ["satire"]),
            ("src-0000001", ["automated_rewrite", "opinion"]),
            ("src-0000003", ["unreliable_dating"]),
            ("src-0000001", []),
        ]
    ]
    log = Log(open_store(str(accords.store)), "tester")
    for chunk in (drafts[:400], drafts[400:]):
        log.append(chunk)
        accords.ok("project", "neo4j", "--batch", "150")
    assert {d.type for d in drafts} >= {"ClaimRetracted", "ClaimCorrected"}
    seen = agree_everywhere(
        accords, ["RW", "SV", "LY"], clock_points([250, 500], ["2024-06-30", "2025-03-31"]), publisher="Politico"
    )
    empty = {name for name, n in seen.items() if n == 0} - {"court-rulings", "caps-and-quotas"}  # on real reporting
    assert not empty, f"no rows to compare from {sorted(empty)}"


# -- idempotent and incremental ---------------------------------------------------------------


def test_projecting_twice_changes_nothing_and_catching_up_equals_a_rebuild(accords: Any) -> None:
    drafts = history(random.Random(7), 200)
    log = Log(open_store(str(accords.store)), "tester")
    log.append(drafts[:120])
    accords.ok("project", "neo4j", "--batch", "17")
    first = accords.snapshot()
    again = accords.ok("project", "neo4j")
    assert "up to date" in again.stderr
    assert accords.snapshot() == first
    log.append(drafts[120:])
    accords.ok("project", "neo4j", "--batch", "9")  # incremental, in small batches
    caught_up = accords.snapshot()
    accords.ok("project", "neo4j", "--rebuild")  # one batch, from nothing
    assert accords.snapshot() == caught_up
    assert len(caught_up[0]) > 100 and len(caught_up[1]) > 300


def test_a_date_read_back_in_a_catch_up_stays_one_date(accords: Any) -> None:
    log = Log(open_store(str(accords.store)), "tester")
    rw = {"@id": "agreement/us-rw", "@type": "Agreement", "parties": ["state/US", "state/RW"], "in_force": "2025-05"}
    log.append([source("s1"), claim("c1", "s1", rw, "2025")])
    accords.ok("project", "neo4j")
    log.append([claim("c2", "s1", rw, "2025")])  # the same date, stated again in a later run
    accords.ok("project", "neo4j")
    q = "MATCH (a:Agreement) RETURN a.inForceDateEarliest AS d"
    assert json.loads(accords.ok("cypher", q, "--format", "json").stdout) == [{"d": "2025-05-01"}]
    caught_up = accords.snapshot()
    accords.ok("project", "neo4j", "--rebuild")
    assert accords.snapshot() == caught_up


def test_belief_intervals_follow_retractions(accords: Any) -> None:
    log = Log(open_store(str(accords.store)), "tester")
    rw = {"@id": "agreement/us-rw", "@type": "Agreement", "parties": ["state/US", "state/RW"]}
    log.append(
        [
            source("s1"),
            claim("c1", "s1", rw, "2025"),
            claim("c2", "s1", rw, "2025"),
            Draft("ClaimRetracted", {"claim": "c1", "reason": "other"}),
            Draft("ClaimRetracted", {"claim": "c2", "reason": "other"}),
            claim("c3", "s1", rw, "2025"),
        ]
    )
    accords.ok("project", "neo4j")
    q = (
        "MATCH (:Agreement {iri: 'https://w3id.org/accords/id/agreement/us-rw'})-[p:PARTY]->(:State {label: 'Rwanda'}) "
        "RETURN p.believed AS b, p.believed_from AS f, p.believed_until AS u, size(p.claims) AS n"
    )
    row = json.loads(accords.ok("cypher", q, "--format", "json").stdout)
    assert row == [{"b": True, "f": [2, 6], "u": [5], "n": 3}]  # c1 or c2 from 2 until 5; c3 from 6


# -- trace -----------------------------------------------------------------------------------------


def test_the_trace_query_reaches_claims_quotes_and_sources_from_any_agreement(accords: Any) -> None:
    log = Log(open_store(str(accords.store)), "tester")
    log.append(history(random.Random(3), 120))
    log.append(
        [
            Draft("SourceRegistered", {"title": "cable", "kind": "leaked_document"}, "cable"),
            Draft(
                "SourceRegistered",
                {"title": "report", "kind": "news", "publisher": "X", "derived_from": ["cable"]},
                "report",
            ),
            claim(
                "c-derived",
                "report",
                {"@id": "agreement/us-rw", "@type": "Agreement", "parties": ["state/US", "state/RW"]},
                "2025",
            ),
        ]
    )
    accords.ok("project", "neo4j")
    agreements = json.loads(
        accords.ok("cypher", "MATCH (a:Agreement) RETURN a.iri AS iri, a.claims AS claims", "--format", "json").stdout
    )
    assert agreements
    for a in agreements:
        rows = json.loads(
            accords.ok(
                "query", "agreement-trace", "--engine", "cypher", "--param", f"agreement={a['iri']}", "--format", "json"
            ).stdout
        )
        assert sorted(r["claim"].rsplit("/", 1)[1] for r in rows) == sorted(a["claims"])
        assert all(r["quote"] and r["source"] and r["speaker"] for r in rows)
    rw = json.loads(
        accords.ok(
            "query", "agreement-trace", "--engine", "cypher", "-p", "agreement=agreement/us-rw", "--format", "json"
        ).stdout
    )
    assert any(r["derived_from"] == ["cable"] for r in rw)


# -- failures: nothing half projected, no other log's graph overwritten ----------------------------


def test_a_failing_batch_leaves_nothing_half_projected(accords: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from accords.graph import neo4j_writes

    log = Log(open_store(str(accords.store)), "tester")
    drafts = history(random.Random(5), 70)
    log.append(drafts[:40])
    accords.ok("project", "neo4j")
    before, state = accords.graph_head(), accords.snapshot()
    log.append(drafts[40:])
    monkeypatch.setitem(
        neo4j_writes.Q, "claim", neo4j_writes.Q["claim"] + " WITH 1 AS x RETURN 1 / 0"
    )  # fails mid-batch
    result = accords("project", "neo4j")
    assert result.exit_code != 0
    assert accords.graph_head() == before and accords.snapshot() == state
    monkeypatch.undo()
    accords.ok("project", "neo4j")
    assert accords.graph_head()[0] == log.store.head().seq


def test_a_graph_of_another_log_is_refused_unless_rebuilt(accords: Any, tmp_path: Path) -> None:
    accords.ok("import", str(SAMPLE))
    accords.ok("project", "neo4j")
    other = accords.on(tmp_path / "other.db")
    Log(open_store(str(other.store)), "someone-else").append(history(random.Random(9), 10))
    refused = other("project", "neo4j")
    assert refused.exit_code == 2
    assert "another log" in refused.stderr and "--rebuild" in refused.stderr
    assert accords.graph_head()[0] == 4
    other.ok("project", "neo4j", "--rebuild")
    assert accords.graph_head()[0] == 10


def test_a_graph_of_an_earlier_layout_is_rebuilt(accords: Any) -> None:
    accords.ok("import", str(SAMPLE))
    accords.ok("project", "neo4j")
    state = accords.snapshot()
    graph = Graph(Target(accords.uri))
    with graph.session() as session:  # as an accords before the judged and frame marks left it
        session.run("MATCH (p:AccordsProjection {name: 'head'}) REMOVE p.layout").consume()
        session.run("MATCH ()-[r:STATES|ABOUT]->() REMOVE r.judged, r.frame").consume()
    assert Neo4jProjection(graph).layout() == "1"
    accords.ok("project", "neo4j")
    assert Neo4jProjection(graph).layout() == LAYOUT
    graph.close()
    assert accords.snapshot() == state
