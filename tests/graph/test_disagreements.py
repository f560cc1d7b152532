"""The one judgement, case by case: crafted pairs of claims (fixtures/disagreements/RULE/
conflict|compatible/*.jsonl), each through the contradictions query, validate and trace,
which must give the same answer. A conflict file's first line names the thing and the
property they disagree on (``_expect``); a compatible file must give no disagreement."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

import accords

from accords.events.backends import open_store
from accords.events.files import read_events
from accords.events.log import Log
from accords.graph.judgement import SHAPE, in_order, judged
from accords.graph.labels import Labels
from accords.graph.projection import Projection, View, open_projection
from accords.graph.sparql import run
from accords.graph.terms import ID, PREFIXES
from accords.graph.validation import Validator
from accords.queries.library import library, prepared

FIXTURES = Path(__file__).parent / "fixtures" / "disagreements"
CASES = sorted(FIXTURES.glob("*/*/*.jsonl"))


def _iri(text: str) -> str:
    prefix, _, local = text.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and "/" not in prefix else ID + text


def _load(tmp_path: Path, path: Path) -> tuple[list[dict[str, object]], Projection]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    events = [x for x in lines if "_expect" not in x]
    log = Log(open_store(str(tmp_path / "store.db"), create=True), "tester")
    log.append(read_events(io.BytesIO("\n".join(json.dumps(x) for x in events).encode()), path.name))
    return lines, open_projection(log.store, tmp_path / "graph")


@pytest.mark.parametrize("path", CASES, ids=lambda p: "/".join(p.parts[-3:]))
def test_query_validate_and_trace_judge_alike(tmp_path: Path, path: Path) -> None:
    lines, projection = _load(tmp_path, path)
    rows = run(projection, prepared(library()["contradictions"], View(), {}))
    found = {(row["subject"].value, row["property"].value) for row in rows}
    expect = lines[0].get("_expect")
    if path.parts[-2] == "conflict":
        assert isinstance(expect, dict)
        assert found == {(_iri(str(expect["subject"])), _iri(str(expect["property"])))}
    else:
        assert found == set()

    findings = [r for r in Validator(projection.store).validate() if r.shape == SHAPE]
    assert {(str(r.focus.value), str(r.path.value if r.path else None)) for r in findings} == found
    assert all(r.severity == "Info" for r in findings)

    traced = accords.open(str(tmp_path / "store.db")).trace("c-a")
    against = {c.key for c in traced.claims if c.stance == "contradicting"}
    assert against == ({"c-b"} if found else set())
    if found:
        (subject, prop) = found.pop()
        [note] = next(c for c in traced.claims if c.key == "c-b").conflicts
        assert "[c-a" in note and "c-b" in note, note
        assert f"of {Labels(projection.store)(ox.NamedNode(subject))}, " in note, note


def test_every_rule_has_a_conflict_and_a_compatible_case() -> None:
    rules = {p.parts[-3] for p in CASES}
    assert len(rules) >= 8
    for rule in rules:
        assert {p.parts[-2] for p in CASES if p.parts[-3] == rule} == {"conflict", "compatible"}, rule


def _whole(record: accords.Record, at: View) -> list[tuple[str, str, str, str, frozenset[str]]]:
    """The judgement of a view judged whole: the query run with its clocks on the record."""
    store = record.projection().store
    rows = store.query(prepared(library()["contradictions"], at, {}))
    return sorted(
        (str(r[0].value), str(r[1].value), r[2].value, in_order(r[3].value), frozenset(r[4].value.split()))
        for r in rows
    )  # type: ignore[union-attr]


def _answered(record: accords.Record, **clocks: object) -> list[tuple[str, str, str, str, frozenset[str]]]:
    rows = record.query("contradictions", **clocks).rows(iris=True)  # type: ignore[arg-type]
    return sorted(
        (r["subject"], r["property"], r["kind"], in_order(r["sides"]), frozenset(r["claims"].split())) for r in rows
    )


def test_the_kept_judgement_is_the_judgement_after_every_catch_up(tmp_path: Path) -> None:
    """Once asked for, the projection keeps the judgement of the current record and judges
    again only what each catch-up touched: its rows stay those of the whole query."""
    corpus = sorted((Path(__file__).parents[1] / "corpus").glob("*.jsonl"))
    record = accords.open(str(tmp_path / "store.db"), create=True)

    def same() -> int:
        kept = _answered(record)
        assert judged(record.projection().store)
        assert kept == _whole(record, View())
        return len(kept)

    list(record.import_files(corpus[:1], processes=1))
    first = same()
    list(record.import_files(corpus[1:], processes=1))  # caught up: only the things the new claims touch
    assert same() > first
    record.retract("c-as-tl-tuesday", "recording_error")
    record.correct("c-as-bus-friday", "c-as-jur-thursday", "recording_error")
    same()
    validated = record.validate()[0]
    assert len([r for r in validated if r.shape == SHAPE]) == same()


def test_a_views_judgement_made_from_the_kept_one_is_the_view_judged_whole(tmp_path: Path) -> None:
    """contradictions in a view of the clocks keeps the rows of the things whose claims stand
    as they do now and judges the others again (judgement.in_view): the rows of the query
    run whole with the view's clocks, in views before and after a retraction and a correction."""
    corpus = sorted((Path(__file__).parents[1] / "corpus").glob("*.jsonl"))
    record = accords.open(str(tmp_path / "store.db"), create=True)
    list(record.import_files(corpus, processes=1))
    before = record.head.seq
    record.retract("c-as-tl-tuesday", "recording_error")
    record.correct("c-as-bus-friday", "c-as-jur-thursday", "recording_error")
    views = [
        {"as_of": before // 3},
        {"as_of": before},  # the claims retracted and corrected since stand again
        {"known_by": "2025-07-15"},
        {"valid_at": "2025-06-30"},
        {"as_of": before // 2, "known_by": "2025-09-01", "valid_at": "2025-03-01"},
    ]
    for clocks in views:
        at = record.view(**clocks)  # type: ignore[arg-type]
        want = _whole(record, at)
        assert _answered(record, **clocks) == want and want, clocks
