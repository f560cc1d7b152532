"""A fact-checker's assessment of a source (SourceAssessed) changes what trace, the
claims-on-flagged-sources query and validate say; a later one changes it back; the clocks
show each in its time. The fixture: a wire story, a spun rewrite of it, a satire page, a
claim on each; the rewrite and the satire flagged, then the wire flagged and cleared
(seq 7-10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parents[1] / "graph" / "fixtures" / "assessments" / "wire-and-rewrite.jsonl"


def flagged(run, *clocks: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    out = run("query", "claims-on-flagged-sources", *clocks, "--format", "json")
    assert out.exit_code == 0, out.stderr
    rows = json.loads(out.stdout)["results"]["bindings"]
    return [(row["key"]["value"], row["flags"]["value"]) for row in rows]


def test_an_assessment_changes_what_the_record_says_and_a_later_one_changes_it_back(run) -> None:  # type: ignore[no-untyped-def]
    assert run("import", str(FIXTURE)).exit_code == 0
    # the rewrite alone flagged: its claim still rests on the wire story, which is not
    assert flagged(run, "--as-of", "7") == []
    assert flagged(run, "--as-of", "8") == [("c-kilo", "satire")]
    assert sorted(flagged(run, "--as-of", "9")) == [
        ("c-kilo", "satire"),
        ("c-landed-rewrite", "automated_rewrite"),
        ("c-landed-wire", "unreliable_dating"),
    ]
    assert flagged(run) == [("c-kilo", "satire")]  # the wire cleared at seq 10

    def traced(*clocks: str) -> dict[str, object]:
        claims = json.loads(run("trace", "c-landed-rewrite", *clocks, "--format", "json").stdout)["claims"]
        return next(c for c in claims if c["key"] == "c-landed-rewrite")

    now = traced()
    assert now["source_flags"] == "automated_rewrite (by Verification desk: synonyms spun from the wire story)"
    assert now["flagged_only"] is False
    assert traced("--as-of", "9")["flagged_only"] is True
    assert traced("--as-of", "6")["source_flags"] is None  # before any assessment
    said = run("trace", "c-kilo", "--format", "table")
    assert "flagged: satire (by Verification desk)" in said.stdout
    assert "(every one resting only on flagged sources)" in said.stdout

    found = json.loads(run("validate", "--format", "json").stdout)
    warned = sorted(f["message"].split(" ")[0] for f in found if f["shape"] == "accsh:FlaggedSourceShape")
    assert warned == ["c-kilo"]
    over_time = json.loads(run("validate", "--over-time", "--format", "json").stdout)
    wire = [f for f in over_time if f["shape"] == "accsh:FlaggedSourceShape" and "c-landed-wire" in f["message"]]
    assert [(f["introduced"], f["resolved"]) for f in wire] == [("seq 9 (a-wire)", "seq 10 (a-wire-again)")]


@pytest.mark.parametrize(
    "body, what",
    [
        ({"source": "src-nowhere", "flags": ["satire"], "assessor": "Desk"}, "src-nowhere"),
        ({"source": "src-wire", "flags": ["fake"], "assessor": "Desk"}, "body.flags"),
        ({"source": "src-wire", "flags": ["satire", "satire"], "assessor": "Desk"}, "body.flags"),
        ({"source": "src-wire", "flags": "satire", "assessor": "Desk"}, "body.flags"),
        ({"source": "src-wire", "flags": ["satire"]}, "body.assessor"),
        ({"source": "c-kilo", "flags": ["satire"], "assessor": "Desk"}, "body.source"),
    ],
    ids=["unknown source", "unknown flag", "a flag twice", "not a list", "no assessor", "a claim, not a source"],
)
def test_a_bad_assessment_is_refused_and_nothing_written(
    run, tmp_path: Path, body: dict[str, object], what: str
) -> None:  # type: ignore[no-untyped-def]
    assert run("import", str(FIXTURE)).exit_code == 0
    line = tmp_path / "bad.jsonl"
    line.write_text(json.dumps({"type": "SourceAssessed", "body": body}) + "\n", encoding="utf-8")
    result = run("import", str(line))
    assert result.exit_code == 2 and what in result.stderr, result.stderr
    assert json.loads(run("log", "--format", "json").stdout)[-1]["key"] == "a-wire-again"
