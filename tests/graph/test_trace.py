"""accords trace: the claims for and against an entity, a claim or a statement."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson

SAMPLE = Path(__file__).parents[1] / "events" / "data" / "sample.jsonl"
US_RW = {"@id": "agreement/us-rw", "@type": "Agreement", "parties": ["state/US", "state/RW"]}


def _source(key: str, title: str, publisher: str, derived_from: list[str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"title": title, "publisher": publisher, "published": "2025-06-12", "kind": "news"}
    if derived_from:
        body["derived_from"] = derived_from
    return {"type": "SourceRegistered", "key": key, "body": body}


def _claim(key: str, source: str, statement: dict[str, Any], polarity: str = "affirmed") -> dict[str, Any]:
    return {
        "type": "ClaimRecorded",
        "key": key,
        "body": {
            "source": source,
            "quote": f"quote of {key}",
            "attributed_to": "officials",
            "statement": statement,
            "certainty": "reported",
            "polarity": polarity,
        },
    }


def _load(run: Any, events: list[dict[str, Any]]) -> None:
    lines = b"".join(orjson.dumps(e) + b"\n" for e in events)
    result = run("import", "-", input=lines)
    assert result.exit_code == 0, result.stderr


def _trace(run: Any, *args: str) -> dict[str, Any]:
    result = run("trace", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_trace_of_an_entity_shows_its_claims_and_provenance(run) -> None:  # type: ignore[no-untyped-def]
    run("import", str(SAMPLE))
    found = _trace(run, "agreement/us-rw")
    assert found["kind"] == "entity"
    [claim] = found["claims"]
    assert claim["key"] == "c-rwanda-paid" and claim["stance"] == "supporting"
    assert claim["status"] == "active"
    assert claim["source"] == "Global Negotiations Underpinning U.S. Deportations Unveiled"
    assert (claim["publisher"], claim["published"]) == ("Example News", "2025-06")
    assert (claim["speaker"], claim["recorder"], claim["seq"]) == ("U.S. officials", "tester", 2)
    assert (claim["certainty"], claim["polarity"], claim["valid_time"]) == ("reported", "affirmed", "../2025-06")
    assert claim["quote"].startswith("Nations like Rwanda")
    assert "agreement/us-rw party Rwanda" in claim["statements"]
    assert "agreement/us-rw a Agreement" in claim["statements"]
    assert (found["supporting_active"], found["independent_sources"]) == (1, 1)


def test_trace_of_a_state_by_name(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    assert _trace(sqlite_run, "state/rwanda") == _trace(sqlite_run, "state/RW")
    unknown = sqlite_run("trace", "state/Narnia")
    assert unknown.exit_code == 2 and "unknown state 'Narnia'" in unknown.stderr


def test_trace_table_ends_with_the_summary(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    result = sqlite_run("trace", "state/RW", "--format", "table")
    assert result.exit_code == 0, result.stderr
    assert "c-rwanda-paid" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "entity state/RW: 1 active supporting claim from 1 independent source; 0 active contradicting claims"
    )


def test_a_claim_of_a_withdrawn_source_is_flagged_with_where_to_find_the_source(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    before = _trace(sqlite_run, "agreement/us-rw")["claims"][0]
    assert (before["source_key"], before["source_url"], before["source_withdrawn"]) == (
        "src-seed",
        "https://example.org/a",
        False,
    )
    withdrawn = sqlite_run(
        "record",
        "--type",
        "SourceCorrected",
        "-f",
        "source=src-seed",
        "-f",
        "correction=Story withdrawn",
        "-f",
        "retracted=true",
    )
    assert withdrawn.exit_code == 0, withdrawn.stderr
    assert _trace(sqlite_run, "agreement/us-rw")["claims"][0]["source_withdrawn"] is True
    table = sqlite_run("trace", "agreement/us-rw", "--format", "table").stdout
    assert "WITHDRAWN by its publisher" in table
    assert table.splitlines()[-1] == (
        "entity agreement/us-rw: 1 active supporting claim from 1 independent source "
        "(1 resting on a source its publisher withdrew); 0 active contradicting claims"
    )


def test_a_claim_of_another_time_neither_supports_nor_contradicts(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    stance = {"@type": "Stance", "state": "state/MX", "toward": "state/US"}

    def said(key: str, position: str, valid: str) -> dict[str, Any]:
        claim = _claim(key, "s1", {**stance, "position": position})
        claim["body"]["valid_time"] = valid
        return claim

    _load(
        sqlite_run,
        [
            _source("s1", "T", "P"),
            said("c-until-june", "willing", "../2025-06"),
            said("c-august", "refused", "2025-08-05"),
            said("c-august-too", "willing", "2025-08"),
        ],
    )
    found = _trace(sqlite_run, "c-august")
    assert {c["key"]: c["stance"] for c in found["claims"]} == {
        "c-until-june": "other time",
        "c-august": "supporting",
        "c-august-too": "contradicting",
    }
    assert (found["supporting_active"], found["contradicting_active"]) == (1, 1)


def test_a_claim_shows_its_fact_checks(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    assert _trace(sqlite_run, "c-rwanda-paid")["claims"][0]["reviews"] is None
    for rating, note in (("unproven", "no second source"), ("mostly_true", None)):
        fields = ["-f", "claim=c-rwanda-paid", "-f", f"rating={rating}", "-f", "reviewer=Desk"]
        reviewed = sqlite_run("record", "--type", "ClaimReviewed", *fields, *(["-f", f"note={note}"] if note else []))
        assert reviewed.exit_code == 0, reviewed.stderr
    [claim] = [c for c in _trace(sqlite_run, "c-rwanda-paid")["claims"] if c["key"] == "c-rwanda-paid"]
    assert claim["reviews"] == "unproven (by Desk: no second source); mostly_true (by Desk)"
    assert "reviewed: unproven (by Desk" in sqlite_run("trace", "agreement/us-rw", "--format", "table").stdout


def test_retracted_claim_shows_with_its_reason_and_does_not_count(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    found = _trace(sqlite_run, "state/PE")
    [claim] = found["claims"]
    assert claim["key"] == "c-peru-resists"
    assert (claim["status"], claim["reason"], claim["note"]) == ("retracted", "recording_error", "misread")
    assert "[Stance] position resisting" in claim["statements"]
    assert found["supporting_active"] == 0


def test_corrected_claim_names_its_replacement(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    _load(
        sqlite_run,
        [
            _source("src-a", "A", "Outlet A"),
            _claim("c-old", "src-a", {**US_RW, "status": "signed"}),
            _claim("c-new", "src-a", {**US_RW, "status": "in_force"}),
            {"type": "ClaimCorrected", "body": {"claim": "c-old", "replacement": "c-new", "reason": "recording_error"}},
        ],
    )
    claims = {c["key"]: c for c in _trace(sqlite_run, "agreement/us-rw")["claims"]}
    assert (claims["c-old"]["status"], claims["c-old"]["corrected_by"]) == ("corrected", "c-new")
    assert claims["c-new"]["status"] == "active"


def test_trace_of_a_claim_by_key_and_by_id_prefix(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    by_key = _trace(sqlite_run, "c-rwanda-paid")
    assert by_key["kind"] == "claim"
    assert [c["key"] for c in by_key["claims"]] == ["c-rwanda-paid"]
    claim_id = json.loads(sqlite_run("show", "c-rwanda-paid").stdout)["id"]
    by_id = _trace(sqlite_run, claim_id[:10])
    assert by_id["claims"] == by_key["claims"]


def test_trace_of_a_statement_finds_support_denial_and_contradiction(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    _load(
        sqlite_run,
        [
            _source("src-a", "A", "Outlet A"),
            _source("src-b", "B", "Outlet B"),
            _claim("c-may", "src-a", {**US_RW, "signed": "2025-05", "status": "signed"}),
            _claim("c-june", "src-b", {**US_RW, "signed": "2025-06-02"}),
            _claim("c-denied", "src-b", {**US_RW, "signed": "2025-05"}, polarity="denied"),
            _claim("c-in-force", "src-b", {**US_RW, "status": "in_force"}),  # a later stage: no disagreement
            _claim(
                "c-other",
                "src-b",
                {
                    "@id": "agreement/us-ug",
                    "@type": "Agreement",
                    "parties": ["state/US", "state/UG"],
                    "signed": "2025-01",
                },
            ),
        ],
    )
    statement = json.dumps({**US_RW, "signed": "2025-05"})
    found = _trace(sqlite_run, statement)
    assert found["kind"] == "statement"
    stances = {c["key"]: c["stance"] for c in found["claims"]}
    assert stances == {
        "c-may": "supporting",
        "c-june": "contradicting",
        "c-denied": "contradicting",
        "c-in-force": "supporting",
    }
    june = next(c for c in found["claims"] if c["key"] == "c-june")
    [note] = june["conflicts"]
    assert note.startswith("signedDate of agreement/us-rw, dates or numbers that cannot meet: ")
    assert "2025-06-02 [c-june; 1 source]" in note and "(statement)" in note
    assert (found["supporting_active"], found["contradicting_active"]) == (2, 2)


def test_trace_of_an_entity_notes_conflicting_values(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    _load(
        sqlite_run,
        [
            _source("src-a", "A", "Outlet A"),
            _claim("c-tenth", "src-a", {**US_RW, "signed": "2025-05-10", "status": "signed"}),
            _claim("c-twentieth", "src-a", {**US_RW, "signed": "2025-05-20", "status": "in_force"}),
        ],
    )
    claims = {c["key"]: c for c in _trace(sqlite_run, "agreement/us-rw")["claims"]}
    note = (
        "signedDate of agreement/us-rw, dates or numbers that cannot meet: "
        "2025-05-10 [c-tenth; 1 source] | 2025-05-20 [c-twentieth; 1 source]"
    )
    assert claims["c-tenth"]["conflicts"] == claims["c-twentieth"]["conflicts"] == [note]  # signed, in force: progress
    sqlite_run("retract", "c-twentieth", "--reason", "recording_error")
    claims = {c["key"]: c for c in _trace(sqlite_run, "agreement/us-rw")["claims"]}
    assert (
        claims["c-tenth"]["conflicts"] == claims["c-twentieth"]["conflicts"] == []
    )  # a retracted claim conflicts no more


def test_anonymous_statements_match_by_their_frame(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    stance = {"@type": "Stance", "state": "state/PE", "toward": "state/US"}
    _load(
        sqlite_run,
        [
            _source("src-a", "A", "Outlet A"),
            _claim("c-resisting", "src-a", {**stance, "position": "resisting"}),
            _claim("c-willing", "src-a", {**stance, "position": "willing"}),
            _claim("c-elsewhere", "src-a", {**stance, "toward": "state/ES", "position": "willing"}),
        ],
    )
    found = _trace(sqlite_run, json.dumps({**stance, "position": "willing"}))
    assert {c["key"]: c["stance"] for c in found["claims"]} == {
        "c-resisting": "contradicting",
        "c-willing": "supporting",
    }


def test_sources_from_one_upstream_report_count_once(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    _load(
        sqlite_run,
        [
            _source("src-cable", "The cable", "State Department"),
            _source("src-ap", "AP on the cable", "AP", derived_from=["src-cable"]),
            _source("src-reuters", "Reuters on AP", "Reuters", derived_from=["src-ap"]),
            _source("src-own", "Own reporting", "Le Monde"),
            _claim("c-ap", "src-ap", US_RW),
            _claim("c-reuters", "src-reuters", US_RW),
        ],
    )
    found = _trace(sqlite_run, "agreement/us-rw")
    assert (found["supporting_active"], found["independent_sources"]) == (2, 1)
    _load(sqlite_run, [_claim("c-own", "src-own", US_RW)])
    found = _trace(sqlite_run, "agreement/us-rw")
    assert (found["supporting_active"], found["independent_sources"]) == (3, 2)


def test_trace_follows_the_clocks(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    assert _trace(sqlite_run, "state/PE", "--as-of", "3")["claims"][0]["status"] == "active"
    result = sqlite_run("trace", "c-rwanda-paid", "--as-of", "1")
    assert result.exit_code == 2
    assert "not in this view" in result.stderr


def test_unknown_target_exits_2_with_a_message(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    for target, message in (
        ("agreement/nowhere", "is not an entity, a claim or a statement"),
        ("not a thing", "is not an entity, a claim or a statement"),
        ("agreement/us pe", "is not an entity, a claim or a statement"),
        ("src-seed", "is a SourceRegistered"),
        ("{not json", "not valid JSON"),
    ):
        result = sqlite_run("trace", target)
        assert result.exit_code == 2, target
        assert message in result.stderr
        assert "Traceback" not in result.stderr


def test_claims_without_a_key_are_judged_by_their_short_id(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    flight = {"@id": "transfer/us-sz-1", "@type": "Transfer", "from": "state/US", "to": "state/SZ"}
    claims = [_claim(key, "src-a", {**flight, "date": day}) for key, day in (("a", "2025-07-04"), ("b", "2025-07-05"))]
    _load(
        sqlite_run, [_source("src-a", "A", "Outlet A")] + [{k: v for k, v in c.items() if k != "key"} for c in claims]
    )
    found = _trace(sqlite_run, "transfer/us-sz-1")["claims"]
    assert [c["key"] for c in found] == [None, None]
    for claim in found:
        [note] = claim["conflicts"]
        assert f"[claim/{claim['id']}; 1 source]" in note
