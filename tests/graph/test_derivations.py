"""A derivation a person judges (DerivationJudged) and undoes (DerivationUndone): from its
seq on, a page and the agency copy it carries count as one independent source; a view of
the clocks before it counts them apart, and after the undo they are apart again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import accords
from accords.events.errors import InputError

FIXTURE = Path(__file__).parent / "fixtures" / "single-source" / "wire-copy-judged.jsonl"


def _single(record: accords.Record, **clocks: int) -> dict[str, str]:
    rows = record.query("single-source-claims", **clocks).rows()  # type: ignore[arg-type]
    return {str(r["value"]): r["source"] for r in rows if r["property"] == "amount"}


def _sides(record: accords.Record, **clocks: int) -> str:
    (row,) = record.query("contradictions", **clocks).rows()  # type: ignore[arg-type]
    return str(row["sides"])


def _key(result: Any) -> tuple[str, ...]:
    return (str(result.shape), str(result.focus), str(result.path), str(result.value))


def _fresh(tmp_path: Path, record: accords.Record, upto: int) -> accords.Record:
    """A store holding only the events up to seq upto: what a view of the clocks must equal."""
    fresh = accords.open(tmp_path / f"upto-{upto}.db", create=True)
    fresh.append([{"type": e.type, "key": e.key, "body": e.data()} for e in record.events(to_seq=upto)])
    return fresh


def test_a_judged_derivation_counts_from_its_seq_until_undone(tmp_path: Path) -> None:
    record = accords.open(tmp_path / "store.db", create=True, recorded_by="tester")
    list(record.import_files([FIXTURE]))
    apart = "10 million [c-own; 1 source] | 7.85 million [c-post, c-tribune; 2 independent sources]"
    one = "10 million [c-own; 1 source] | 7.85 million [c-post, c-tribune; 1 source]"
    assert _sides(record) == apart and "7.85 million" not in _single(record)
    assert record.trace("payment/us-gh").independent_sources == 3

    judged = record.judge_derivation("s-post", ["actor/afp"], "the same text as AFP's", judged_by="Ana")
    assert judged.last is not None and judged.last.seq == 7
    assert _sides(record) == one  # the kept judgement, caught up
    assert _single(record)["7.85 million"] == "actor/afp"
    assert record.trace("payment/us-gh").independent_sources == 2
    assert _sides(record, as_of=6) == apart and "7.85 million" not in _single(record, as_of=6)

    record.undo_derivation(judged.last.id, "the credit was the photo's", judged_by="Ana")
    assert _sides(record) == apart and "7.85 million" not in _single(record)
    assert record.trace("payment/us-gh").independent_sources == 3
    # each view of the clocks answers as a store holding only the events up to it
    for seq in (6, 7, 8):
        fresh = _fresh(tmp_path, record, seq)
        assert _sides(record, as_of=seq) == _sides(fresh), seq
        assert _single(record, as_of=seq) == _single(fresh), seq
        assert record.trace("payment/us-gh", as_of=seq).independent_sources == (
            fresh.trace("payment/us-gh").independent_sources
        )
    assert record.verify().problem is None
    # validate --over-time re-checks what the judgement and its undo touched: what is open at
    # the end of the walk is what a full validation finds
    still_open = {_key(s.result) for s in record.validate_over_time() if s.resolved is None}
    assert still_open == {_key(r) for r in record.validate()[0]}


def test_a_derivation_given_wrong_is_refused(tmp_path: Path) -> None:
    record = accords.open(tmp_path / "store.db", create=True, recorded_by="tester")
    list(record.import_files([FIXTURE]))
    head = record.head
    for source, upstream, message in (
        ("s-post", ["s-post"], "cannot derive from itself"),
        ("c-post", ["actor/afp"], "is a ClaimRecorded, expected SourceRegistered"),
        ("s-post", ["actor/ afp"], "is not an identifier"),
        ("s-nowhere", ["actor/afp"], "unknown reference"),
    ):
        with pytest.raises(InputError, match=message):
            record.judge_derivation(source, upstream, "a test")
    with pytest.raises(InputError, match="is a ClaimRecorded, expected DerivationJudged"):
        record.undo_derivation("c-post", "a test")
    assert record.head == head


def test_a_merge_undone_unmerges_from_its_seq(tmp_path: Path) -> None:
    """The other judgement that is undone (EntitiesMerged, MergeUndone): the same-as holds
    in the belief from the merge until the undo, and a view before the undo still holds it."""
    record = accords.open(tmp_path / "store.db", create=True, recorded_by="tester")
    judged = {"judged_by": "Ana", "reason": "one department"}
    record.append(
        [{"type": "EntitiesMerged", "key": "m1", "body": {"entities": ["actor/dhs", "actor/us-dhs"]} | judged}]
    )
    record.append([{"type": "MergeUndone", "key": "u1", "body": {"merge": "m1", "judged_by": "Ana", "reason": "two"}}])
    same = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH graph:belief { ?a owl:sameAs ?b } }"
    assert record.sparql(same, as_of=1).rows() == [{"n": 1}]
    assert record.sparql(same).rows() == [{"n": 0}]
    assert record.verify().problem is None
