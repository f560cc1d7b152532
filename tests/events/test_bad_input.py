"""Bad input exits 2, names file, line and field, and leaves the store byte-identical."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "sample.jsonl").read_text()

SOURCE = '{"type": "SourceRegistered", "key": "src-b", "body": {"title": "T", "kind": "news", "published": "2025"}}'
CLAIM = (
    '{"type": "ClaimRecorded", "key": "c-b", "body": {"source": "src-b", "quote": "q", '
    '"attributed_to": "x", "certainty": "reported", "statement": {"@type": "Stance", "state": "state/PE", "position": "refused"}%s}}'
)

CASES = {
    "malformed JSON": ('{"type": "SourceRegistered", "body": {', "bad.jsonl:2: malformed JSON"),
    "unknown type": ('{"type": "Rumour", "body": {}}', "bad.jsonl:2: type: unknown event type 'Rumour'"),
    "missing field": (
        '{"type": "SourceRegistered", "body": {"kind": "news"}}',
        "bad.jsonl:2: body.title: required for SourceRegistered",
    ),
    "unknown source": (
        CLAIM.replace("src-b", "src-nowhere") % "",
        "bad.jsonl:2: body.source: unknown reference 'src-nowhere'",
    ),
    "unknown claim": (
        '{"type": "ClaimRetracted", "body": {"claim": "c-nowhere", "reason": "other"}}',
        "bad.jsonl:2: body.claim: unknown reference 'c-nowhere'",
    ),
    "reference of the wrong type": (
        '{"type": "ClaimRetracted", "body": {"claim": "src-b", "reason": "other"}}',
        "bad.jsonl:2: body.claim: 'src-b' is a SourceRegistered, expected ClaimRecorded",
    ),
    "impossible date": (
        CLAIM % ', "valid_time": "2025-13-40"',
        "bad.jsonl:2: body.valid_time: '2025-13-40' is not an EDTF date",
    ),
    "duplicate key": (
        SOURCE.replace('"T"', '"Other"'),
        "bad.jsonl:2: key: 'src-b' is already used by another event",
    ),
    "statement without @type": (
        CLAIM.replace('"@type": "Stance", ', "") % "",
        'bad.jsonl:2: body.statement: needs an "@type"',
    ),
    "remote @context": (
        CLAIM.replace('{"@type": "Stance"', '{"@context": "https://example.org/ctx", "@type": "Stance"') % "",
        "bad.jsonl:2: body.statement: @context is not allowed",
    ),
    "unknown field": (
        CLAIM % ', "certainity": "confirmed"',
        "bad.jsonl:2: body.certainity: unknown field for ClaimRecorded",
    ),
    "claim corrected by itself": (
        '{"type": "ClaimCorrected", "body": {"claim": "c-rwanda-paid", "replacement": "c-rwanda-paid", "reason": "other"}}',
        "bad.jsonl:2: body.replacement: a claim cannot replace itself",
    ),
    # was hashed as the JSON number 5 and stored as the text '5': a log that never verified
    "recorded_by not a string": (
        SOURCE.replace('"src-b"', '"src-c"').replace('"key"', '"recorded_by": 5, "key"'),
        "bad.jsonl:2: recorded_by: expected a name, got int",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_exits_2_and_writes_nothing(case: str, run, tmp_path: Path, snapshot) -> None:  # type: ignore[no-untyped-def]
    run("import", str(DATA / "sample.jsonl"))
    line, message = CASES[case]
    bad = tmp_path / "bad.jsonl"
    # the good first line is valid, so the failing line's partial batch must roll back
    bad.write_text(SOURCE + "\n" + line + "\n")
    if case == "duplicate key":
        run("import", str(_file(tmp_path, SOURCE)))
    before = snapshot(run.store)
    result = run("import", str(bad))
    assert result.exit_code == 2, result.output
    assert message in result.stderr, result.stderr
    assert snapshot(run.store) == before


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "first.jsonl"
    path.write_text(text + "\n")
    return path


def test_expected_head_conflict_exits_2_and_writes_nothing(run, tmp_path: Path, snapshot) -> None:  # type: ignore[no-untyped-def]
    run("import", str(DATA / "sample.jsonl"))
    (tmp_path / "more.jsonl").write_text(SOURCE + "\n")
    before = snapshot(run.store)
    result = run("import", "--expected-head", "0", str(tmp_path / "more.jsonl"))
    assert result.exit_code == 2
    assert "expected head '0', but the log head is seq 4" in result.stderr
    assert snapshot(run.store) == before


def test_bad_yaml_names_the_line(run, tmp_path: Path, snapshot) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text("- type: SourceRegistered\n  body: {title: T, kind: news}\n- type: [oops\n")
    before = snapshot(run.store)
    result = run("import", str(bad))
    assert result.exit_code == 2
    assert "bad.yaml:3" in result.stderr or "bad.yaml:4" in result.stderr, result.stderr
    assert snapshot(run.store) == before


def test_state_names_are_stored_as_codes(sqlite_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(DATA / "sample.jsonl"))
    claim = (
        CLAIM.replace("src-b", "src-seed").replace(
            '"state": "state/PE"', '"state": "state/Peru", "toward": "state/usa"'
        )
        % ""
    )
    assert sqlite_run("record", "-", input=claim).exit_code == 0
    stored = json.loads(sqlite_run("show", "c-b").stdout)["body"]["statement"]
    assert (stored["state"], stored["toward"]) == ("state/PE", "state/US")
    unknown = sqlite_run("record", "-", input=claim.replace("c-b", "c-c").replace("state/Peru", "state/Narnia"))
    assert unknown.exit_code == 2
    assert "body.statement: unknown state 'Narnia'" in unknown.stderr
