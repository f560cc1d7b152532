"""The latest word: a ministry's word of 21 August supersedes its minister's of 20 August,
by the publication of the sources; an opposition whose stance names no state is a side of
its own; an undated page and a page of a month cannot be put in order against a day in it."""

from __future__ import annotations

from pathlib import Path

import accords

FIXTURE = Path(__file__).parent / "fixtures" / "latest-word" / "ministry-after-minister.jsonl"


def test_the_latest_word_of_each_side_and_what_it_supersedes(tmp_path: Path) -> None:
    record = accords.open(tmp_path / "store.db", create=True, recorded_by="tester")
    list(record.import_files([FIXTURE]))
    rows = record.query("latest-word").rows()
    assert [(r["side"], r["question"], r["latest_claims"], r["superseded_claims"]) for r in rows] == [
        # the minister's denial (20 August) is superseded by the ministry (21 August); an
        # undated page cannot be put before or after it, and is a latest word too
        ("Uganda", "agreement/us-ug", "c-ministry c-undated", "c-minister"),
    ]
    [row] = rows
    assert row["latest"] == (
        "willing (2025-08-21) [c-ministry; Ministry of Foreign Affairs] | denied (undated) [c-undated; an official]"
    )
    assert row["supersedes"] == "denied (2025-08-20; said 2025-08-19) [c-minister; State Minister for Foreign Affairs]"
    # the opposition's words ("2025-08" and 22 August) are its own side, and a page of
    # August is not certainly older than a day of August: nothing superseded there

    traced = {c.key: c for c in record.trace("agreement/us-ug").claims}
    assert traced["c-ministry"].word == "latest word of Uganda on agreement/us-ug"
    assert (
        traced["c-minister"].word == "superseded: the latest word of Uganda on agreement/us-ug is c-ministry, c-undated"
    )
    assert traced["c-opposition-22"].word is None
    # by publication, earliest first; the undated page at the day it was recorded
    assert [c.key for c in record.trace("agreement/us-ug").claims][:3] == [
        "c-opposition-aug",
        "c-minister",
        "c-ministry",
    ]

    # as the record stood before the ministry spoke: nothing superseded
    assert record.query("latest-word", as_of=6).rows() == []
