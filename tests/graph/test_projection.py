"""The RDF projection: rebuild equals live, retractions, the three clocks, SPARQL safety."""

from __future__ import annotations

import datetime as dt
import json
import random
import socket
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accords.events.log import Draft, Log
from accords.events.backends import open_store
from accords.graph.projection import META, Projection, View, open_projection, view
from accords.graph.terms import BELIEF, RDFS

SAMPLE = Path(__file__).parents[1] / "events" / "data" / "sample.jsonl"
STATES = ["RW", "CR", "XK", "MX", "GT", "SV", "PA", "PE", "LY", "SS"]


def nquads(projection: Projection) -> list[str]:
    return sorted(projection.store.dump(format=ox.RdfFormat.N_QUADS).decode().splitlines())


def belief(projection: Projection) -> set[tuple[str, str, str]]:
    return {
        (str(q.subject), str(q.predicate), str(q.object))
        for q in projection.store.quads_for_pattern(None, None, None, BELIEF)
    }


def source(key: str, published: str = "2025-06") -> Draft:
    return Draft("SourceRegistered", {"title": key, "kind": "news", "publisher": "P", "published": published}, key)


def agreement(key: str, src: str, state: str, valid: str | None = None, polarity: str = "affirmed") -> Draft:
    body: dict[str, Any] = {
        "source": src,
        "quote": f"{state} agreed ({key})",
        "attributed_to": "officials",
        "certainty": "reported",
        "polarity": polarity,
        "statement": {
            "@id": f"agreement/us-{state.lower()}",
            "@type": "Agreement",
            "parties": ["state/US", f"state/{state}"],
        },
    }
    if valid:
        body["valid_time"] = valid
    return Draft("ClaimRecorded", body, key)


def history(rng: random.Random, n: int) -> list[Draft]:
    """A generated history: sources, claims, retractions and corrections."""
    drafts: list[Draft] = [source("src-0")]
    claims: list[str] = []
    for i in range(1, n):
        roll = rng.random()
        if roll < 0.1:
            drafts.append(source(f"src-{i}", f"2025-0{rng.randint(1, 9)}"))
        elif roll < 0.8 or len(claims) < 2:
            src = rng.choice([d.key for d in drafts if d.type == "SourceRegistered"])
            drafts.append(agreement(f"claim-{i}", str(src), rng.choice(STATES), f"2025-0{rng.randint(1, 9)}"))
            claims.append(f"claim-{i}")
        elif roll < 0.92:
            drafts.append(Draft("ClaimRetracted", {"claim": rng.choice(claims), "reason": "other"}))
        else:
            old, new = rng.sample(claims, 2)
            drafts.append(Draft("ClaimCorrected", {"claim": old, "replacement": new, "reason": "recording_error"}))
    return drafts


def fresh_log(tmp_path: Path, name: str, drafts: list[Draft]) -> Log:
    log = Log(open_store(str(tmp_path / name), create=True), "tester")
    log.append(drafts)
    return log


def test_rebuild_equals_live_incremental(tmp_path: Path) -> None:
    drafts = history(random.Random(1), 200)
    log = Log(open_store(str(tmp_path / "a.db"), create=True), "tester")
    for chunk in (drafts[:50], drafts[50:120], drafts[120:]):
        log.append(chunk)
        open_projection(log.store, tmp_path / "live")  # catches up, chunk by chunk
    live = open_projection(log.store, tmp_path / "live")
    rebuilt = open_projection(log.store, tmp_path / "rebuilt")
    assert nquads(live) == nquads(rebuilt)
    assert nquads(view(log.store, View(as_of=len(drafts)))) == nquads(rebuilt)


def test_a_projection_built_with_another_vocabulary_is_rebuilt(tmp_path: Path) -> None:
    log = fresh_log(tmp_path, "a.db", history(random.Random(3), 60))
    expected = nquads(open_projection(log.store, tmp_path / "graph"))
    older = Projection.open(tmp_path / "graph")  # as an earlier version left it: frames missing
    claim = next(g for g in older.store.named_graphs() if "/id/claim/" in g.value)
    older.store.remove_graph(claim)  # type: ignore[arg-type]
    older.store.update("DELETE WHERE { GRAPH ?g { ?s <https://w3id.org/accords/ns#builtWith> ?o } }")
    older.store.flush()
    del older
    again = open_projection(log.store, tmp_path / "graph")
    assert again.built_with() is not None and nquads(again) == expected


def test_a_build_interrupted_before_its_head_is_redone(tmp_path: Path) -> None:
    drafts = history(random.Random(2), 120)
    log = fresh_log(tmp_path, "a.db", drafts)
    rebuilt = nquads(open_projection(log.store, tmp_path / "rebuilt"))
    # what a crash during the bulk load leaves: some quads, no head (it is written last)
    partial = ox.Store(str(tmp_path / "partial"))
    partial.bulk_extend(ox.parse("\n".join(rebuilt[::2]).encode(), format=ox.RdfFormat.N_QUADS))
    partial.remove_graph(META)
    stale = ox.Quad(
        ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), ox.Literal("stale"), BELIEF
    )
    partial.add(stale)
    partial.flush()
    del partial
    assert Projection(ox.Store.read_only(str(tmp_path / "partial"))).head().empty
    assert nquads(open_projection(log.store, tmp_path / "partial")) == rebuilt


def test_an_append_folds_only_the_increment(tmp_path: Path) -> None:
    """100 events appended to a projected store: the catch-up reads the event at the graph's
    head (the log still holds it) and those 100, and the graph equals one built from scratch."""
    drafts = history(random.Random(5), 400)
    log = fresh_log(tmp_path, "a.db", drafts[:300])
    before = set(nquads(open_projection(log.store, tmp_path / "live")))
    head = log.store.head().seq
    log.append(drafts[300:])
    read: list[int] = []
    reader = log.store.read

    def counted(start: int = 1, stop: int | None = None) -> Any:
        for event in reader(start, stop):
            read.append(event.seq)
            yield event

    log.store.read = counted  # type: ignore[method-assign]
    after = set(nquads(open_projection(log.store, tmp_path / "live")))
    log.store.read = reader  # type: ignore[method-assign]
    assert read == [head, *range(head + 1, log.store.head().seq + 1)]  # the head the graph reflects, checked
    rebuilt = set(nquads(open_projection(log.store, tmp_path / "rebuilt")))
    assert after == rebuilt and after - before and before - after  # it added and it removed (retractions)


def test_a_projection_of_another_log_is_rebuilt_with_a_message(tmp_path: Path, capsys: Any) -> None:
    """The log file replaced by another (a backup restored): the graph beside it reflects a head
    the log does not hold, and is rebuilt from the log, saying so, instead of refused."""
    first = fresh_log(tmp_path, "a.db", history(random.Random(6), 80))
    open_projection(first.store, tmp_path / "graph")
    other = fresh_log(tmp_path, "b.db", history(random.Random(7), 120))
    capsys.readouterr()
    rebuilt = open_projection(other.store, tmp_path / "graph")
    assert "which this log does not hold: rebuilding it" in capsys.readouterr().err
    assert rebuilt.head().seq == other.store.head().seq
    assert nquads(rebuilt) == nquads(open_projection(other.store, tmp_path / "fresh"))


def test_agents_named_alike_stay_apart_each_quoted_as_written(tmp_path: Path) -> None:
    """ "officials" and "Officials" are two names: each claim's speaker reads as its claim wrote it."""
    shouting = Draft("ClaimRecorded", {**agreement("c2", "s1", "CR").body, "attributed_to": "Officials"}, "c2")
    log = fresh_log(
        tmp_path, "a.db", [source("s1"), agreement("c1", "s1", "RW"), shouting, agreement("c3", "s1", "MX")]
    )
    said = ox.NamedNode("http://www.w3.org/ns/prov#wasAttributedTo")
    for projection in (open_projection(log.store, tmp_path / "g"), view(log.store, View(as_of=4))):
        speakers = {q.object for q in projection.store.quads_for_pattern(None, said, None)}
        labels = {
            q.object.value
            for s in speakers
            for q in projection.store.quads_for_pattern(s, ox.NamedNode(RDFS + "label"), None)
        }
        assert len(speakers) == 2 and labels == {"officials", "Officials"}
        for speaker in speakers:  # one label each
            assert len(list(projection.store.quads_for_pattern(speaker, ox.NamedNode(RDFS + "label"), None))) == 1


def test_a_triple_stays_while_one_supporting_claim_is_active(tmp_path: Path) -> None:
    log = fresh_log(
        tmp_path,
        "a.db",
        [source("s1"), source("s2", "2025-07"), agreement("c1", "s1", "RW"), agreement("c2", "s2", "RW")],
    )
    party = (
        "<https://w3id.org/accords/id/agreement/us-rw>",
        "<https://w3id.org/accords/ns#party>",
        "<https://w3id.org/accords/id/state/RW>",
    )
    assert party in belief(open_projection(log.store, tmp_path / "g"))
    log.append([Draft("ClaimRetracted", {"claim": "c1", "reason": "other"})])
    assert party in belief(open_projection(log.store, tmp_path / "g"))
    log.append([Draft("ClaimRetracted", {"claim": "c2", "reason": "source_correction"})])
    assert party not in belief(open_projection(log.store, tmp_path / "g"))
    assert party in belief(view(log.store, View(as_of=5)))


def test_a_correction_replaces(tmp_path: Path) -> None:
    log = fresh_log(tmp_path, "a.db", [source("s1"), agreement("c1", "s1", "RW"), agreement("c2", "s1", "CR")])
    log.append([Draft("ClaimCorrected", {"claim": "c1", "replacement": "c2", "reason": "recording_error"})])
    facts = belief(open_projection(log.store, tmp_path / "g"))
    assert any("state/CR" in o for _, _, o in facts)
    assert not any("state/RW" in o for _, _, o in facts)


def test_the_three_clocks_differ(tmp_path: Path) -> None:
    """Recorded late (seq 4), published early (2025-02), valid earlier still (2024)."""
    log = fresh_log(
        tmp_path,
        "a.db",
        [
            source("s-early", "2025-02-10"),
            source("s-late", "2025-09-01"),
            agreement("c-now", "s-late", "CR", "2025-08"),
            agreement("c-old", "s-early", "RW", "2024-03/2024-12"),
        ],
    )

    def states(at: View) -> set[str]:
        return {o.rsplit("/", 1)[1].strip(">") for s, p, o in belief(view(log.store, at)) if p.endswith("#party>")} - {
            "US"
        }

    assert states(View()) == {"CR", "RW"}
    assert states(View(as_of=3)) == {"CR"}  # record time: c-old not yet recorded
    assert states(View(known_by=dt.date(2025, 3, 1))) == {"RW"}  # only s-early was published
    assert states(View(valid_at=dt.date(2024, 6, 1))) == {"RW"}  # valid time
    assert states(View(valid_at=dt.date(2025, 8, 15))) == {"CR"}


def _rows(projection: Projection, named: Any, bindings: dict[str, Any], at: View) -> list[tuple[str, ...]]:
    from accords.graph.sparql import run
    from accords.queries.library import prepared

    result = run(projection, prepared(named, at, bindings))
    names = [v.value for v in result.variables]
    return sorted(tuple(str(s[n]) for n in names) for s in result)


def _bindings(named: Any, rng: random.Random) -> dict[str, Any]:
    from accords.queries.library import sparql_value

    return {
        p.name: sparql_value(p, f"state/{rng.choice(STATES)}" if p.type == "iri" else p.default or "")
        for p in named.params
    }


@settings(max_examples=5, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_as_of_equals_a_store_holding_only_those_events(tmp_path_factory: Any, seed: int) -> None:
    """For random points of a generated history, every named query at --as-of N answers
    as it does on a store holding only events 1..N (10 points per example, 50 in all)."""
    from accords.queries.library import library

    tmp = tmp_path_factory.mktemp("h")
    rng = random.Random(seed)
    drafts = history(rng, 120)
    full = fresh_log(tmp, "full.db", drafts)
    live = open_projection(full.store, tmp / "graph")
    for n in sorted(rng.sample(range(1, len(drafts) + 1), 10)):
        prefix = Log(open_store(str(tmp / f"prefix-{n}.db"), create=True), "tester")
        prefix.append([Draft(e.type, e.data(), e.key, e.recorded_at, e.recorded_by) for e in full.read(1, n)])
        only = open_projection(prefix.store, tmp / f"prefix-{n}.graph")
        for named in library().values():
            if named.sparql:
                bindings = _bindings(named, rng)
                assert _rows(live, named, bindings, View(as_of=n)) == _rows(only, named, bindings, View()), (
                    f"{named.name} at seq {n}"
                )


def test_query_as_of_through_the_command(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    then = json.loads(sqlite_run("query", "retracted-claims", "--as-of", "3", "--format", "json").stdout)
    now = json.loads(sqlite_run("query", "retracted-claims", "--format", "json").stdout)
    assert then["results"]["bindings"] == []
    assert [b["key"]["value"] for b in now["results"]["bindings"]] == ["c-peru-resists"]


def test_as_of_past_the_head_is_refused_and_before_the_first_event_noted(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    past = sqlite_run("query", "payments", "--as-of", "5")
    assert past.exit_code == 2 and "seq 5 is past the head of the log (seq 4)" in past.stderr
    early = sqlite_run("query", "payments", "--as-of", "2020-01-01", "--format", "json")
    assert early.exit_code == 0 and json.loads(early.stdout)["results"]["bindings"] == []
    assert "--as-of is record time" in early.stderr and "--known-by" in early.stderr
    assert "note" not in sqlite_run("query", "payments", "--as-of", "4").stderr


def test_parameters_are_bound_not_pasted(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    for value in ['Example News" } ; DROP', "it's", "}", "a > b", "line\nbreak", "SELECT * WHERE { ?s ?p ?o }"]:
        result = sqlite_run("query", "claims-by-outlet", "--param", f"publisher={value}", "--format", "json")
        assert result.exit_code == 0, result.stderr
        bindings = json.loads(result.stdout)["results"]["bindings"]
        assert bindings == []  # a literal that matches no publisher, not a change of query
    result = sqlite_run("query", "claims-by-outlet", "--param", "publisher=Example News", "--format", "json")
    assert len(json.loads(result.stdout)["results"]["bindings"]) == 2
    assert "note" not in result.stderr
    defaulted = sqlite_run("query", "claims-by-outlet", "--format", "json")  # an example value, said so
    assert "note: claims-by-outlet with the default publisher=Example News" in defaulted.stderr
    bad_iri = sqlite_run("query", "agreements-by-state", "--param", "state=state/RW> } ?x <y")
    assert bad_iri.exit_code == 2


def test_a_state_parameter_takes_what_recording_takes(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    """state/RW, state/rwanda, RW, Rwanda and the full IRI answer alike; an unknown state is
    an error naming it, not an empty answer."""
    sqlite_run("import", str(SAMPLE))

    def agreements(value: str) -> list[str]:
        result = sqlite_run("query", "agreements-by-state", "--param", f"state={value}", "--format", "json")
        assert result.exit_code == 0, result.stderr
        return [b["agreement"]["value"] for b in json.loads(result.stdout)["results"]["bindings"]]

    expected = agreements("state/RW")
    assert expected == ["https://w3id.org/accords/id/agreement/us-rw"]
    for value in ("state/rwanda", "RW", "RWA", "Rwanda", "https://w3id.org/accords/id/state/RW"):
        assert agreements(value) == expected, value
    for value in ("state/Narnia", "Narnia"):
        unknown = sqlite_run("query", "agreements-by-state", "--param", f"state={value}")
        assert unknown.exit_code == 2
        assert "--param state: unknown state 'Narnia'" in unknown.stderr


def test_sparql_update_is_refused_and_changes_nothing(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    before = sqlite_run("sparql", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "csv").stdout
    result = sqlite_run("sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert result.exit_code == 2
    assert "updates are refused" in result.stderr
    assert (
        sqlite_run("sparql", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "csv").stdout
        == before
    )


def test_sparql_forms_and_formats(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    q = "SELECT ?p WHERE { ?a a acc:Agreement ; acc:party ?p } ORDER BY ?p"
    # CSV and TSV name things as a person reads them; SPARQL results JSON keeps the IRIs
    assert sqlite_run("sparql", q, "--format", "csv").stdout.splitlines() == ["p", "Rwanda", "United States"]
    assert sqlite_run("sparql", q, "--format", "tsv").stdout.splitlines()[0] == "p"
    bindings = json.loads(sqlite_run("sparql", q, "--format", "json").stdout)["results"]["bindings"]
    assert [b["p"]["value"] for b in bindings] == [
        "https://w3id.org/accords/id/state/RW",
        "https://w3id.org/accords/id/state/US",
    ]
    claims = "SELECT ?c WHERE { GRAPH graph:provenance { ?c a acc:Claim } }"
    assert set(sqlite_run("sparql", claims, "--format", "csv").stdout.split()) == {
        "c",
        "c-rwanda-paid",
        "c-peru-resists",
    }
    unkeyed = {
        "type": "ClaimRecorded",
        "body": {
            "source": "src-seed",
            "quote": "others such as Peru",
            "attributed_to": "x",
            "certainty": "reported",
            "statement": {"@type": "Agreement", "parties": ["state/US", "state/PE"]},
        },
    }
    assert sqlite_run("import", "-", input=json.dumps(unkeyed)).exit_code == 0
    short_id = (
        set(sqlite_run("sparql", claims, "--format", "csv").stdout.split()) - {"c", "c-rwanda-paid", "c-peru-resists"}
    ).pop()
    assert short_id.startswith("claim/") and len(short_id) == len("claim/") + 12
    assert sqlite_run("trace", short_id).exit_code == 0  # the short id a table prints, trace takes
    assert json.loads(sqlite_run("sparql", "ASK { ?a a acc:Agreement }", "--format", "json").stdout)["boolean"] is True
    turtle = sqlite_run("sparql", "CONSTRUCT WHERE { ?a acc:party ?p }", "--format", "turtle").stdout
    assert "state/RW" in turtle
    assert sqlite_run("sparql", "DESCRIBE <agreement/us-rw>", "--format", "ntriples").exit_code == 0
    assert sqlite_run("sparql", "SELECT nonsense").exit_code == 2


def test_a_remote_context_is_refused_without_a_connection(sqlite_run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    sqlite_run("import", str(SAMPLE))
    claim = {
        "type": "ClaimRecorded",
        "body": {
            "source": "src-seed",
            "quote": "q",
            "attributed_to": "x",
            "certainty": "reported",
            "statement": {
                "@context": "https://example.org/context.jsonld",
                "@type": "Agreement",
                "parties": ["state/US", "state/RW"],
            },
        },
    }
    result = sqlite_run("record", "-", input=json.dumps(claim))
    assert result.exit_code == 2
    assert "@context is not allowed" in result.stderr


def test_replay_and_diff_speak_in_labels(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    replay = sqlite_run("replay", "--format", "json")
    steps = json.loads(replay.stdout)
    assert "agreement/us-rw · party · Rwanda" in steps[1]["added"]
    assert steps[3]["removed"] and not steps[3]["added"]
    diff = json.loads(sqlite_run("diff", "3", "4", "--format", "json").stdout)
    assert {row["change"] for row in diff} == {"lost"}
    assert any("position · resisting" in row["statement"] for row in diff)
    assert {row["claims"] for row in diff} == {"c-peru-resists"}  # the claim retracted at seq 4
    table = sqlite_run("diff", "3", "4", "--format", "table").stdout
    assert "[statement] · position · resisting" in table and "c-peru-resists" in table


@settings(max_examples=3, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_clock_functions_agree_with_a_fresh_fold(tmp_path_factory: Any, seed: int) -> None:
    """Named queries on the live graph, placed in time by graph.clocks, answer as the
    same query on a view folded afresh from the log, on every clock."""
    from accords.queries.library import library

    tmp = tmp_path_factory.mktemp("c")
    rng = random.Random(seed)
    drafts = history(rng, 120)
    log = fresh_log(tmp, "full.db", drafts)
    live = open_projection(log.store, tmp / "graph")
    views = [
        View(as_of=rng.randint(1, len(drafts))),
        View(known_by=dt.date(2025, rng.randint(1, 9), 28)),
        View(valid_at=dt.date(2025, rng.randint(1, 9), 15)),
        View(as_of=rng.randint(1, len(drafts)), known_by=dt.date(2025, 6, 30), valid_at=dt.date(2025, 5, 1)),
    ]
    for at in views:
        fresh = view(log.store, at)
        for named in library().values():
            if named.sparql:
                bindings = _bindings(named, rng)
                assert _rows(live, named, bindings, at) == _rows(fresh, named, bindings, View()), (
                    f"{named.name} at {at}"
                )


def test_a_claim_retracted_then_corrected_has_one_status_at_each_point(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    """retracted-claims lists each retraction or correction once, with the claim's status as
    of the view: the latest invalidation recorded by then decides."""
    sqlite_run("import", str(SAMPLE))  # seq 4 retracts c-peru-resists
    fixed = {
        "type": "ClaimCorrected",
        "body": {"claim": "c-peru-resists", "replacement": "c-rwanda-paid", "reason": "other"},
    }
    assert sqlite_run("import", "-", input=json.dumps(fixed)).exit_code == 0

    def rows(*clocks: str) -> list[tuple[str, str]]:
        found = json.loads(sqlite_run("query", "retracted-claims", *clocks, "--format", "json").stdout)
        return sorted(
            (b["status"]["value"].rsplit("#", 1)[1], b["invalidated_seq"]["value"])
            for b in found["results"]["bindings"]
        )

    assert rows() == [("corrected", "4"), ("corrected", "5")]
    assert rows("--as-of", "4") == [("retracted", "4")]
