"""What the log computes itself, a file cannot dictate (through the installed command): a
line of an export re-imports byte for byte only with its own seq, prev and hash, each
checked; a record time later than now or a recorder given on a plain line is refused; and
nothing refused is written."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import rfc8785

from accords.events.model import event_hash

SEED = Path(__file__).parents[2] / "accords" / "seed" / "seed.jsonl"


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["accords", *args], cwd=folder, capture_output=True, text=True)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("exported")
    assert _run(folder, "init").returncode == 0 and _run(folder, "import", str(SEED)).returncode == 0
    assert _run(folder, "export", "--format", "jsonl", "-o", "all.jsonl").returncode == 0
    return [json.loads(line) for line in (folder / "all.jsonl").read_text().splitlines()]


def _rehashed(event: dict[str, Any]) -> dict[str, Any]:
    """event with the hash its fields give: a forgery made as carefully as can be."""
    body = rfc8785.dumps(event["body"])
    fields = (event[k] for k in ("seq", "id", "type", "key", "recorded_at", "recorded_by"))
    return {**event, "hash": event_hash(*fields, body, event["prev"])}


def _plain(event: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": event["type"], "key": event["key"], "body": event["body"], **extra}


CASES = {
    "a record time in the future": (
        lambda e: [_rehashed({**e[0], "recorded_at": "9999-12-31T23:59:59.000000Z"})],
        "recorded_at: 9999-12-31T23:59:59.000000Z is later than now",
    ),
    "another seq": (lambda e: [{**e[0], "seq": 5}], "seq: the file says 5, the log computes 1"),
    "another prev": (lambda e: [{**e[0], "prev": "f" * 64}], "prev: the file says ffff"),
    "a hash that is not the line's": (lambda e: [{**e[0], "recorded_by": "chief-editor"}], "hash: the file says"),
    "a recorder on a plain line": (
        lambda e: [_plain(e[0], recorded_by="chief-editor")],
        "recorded_by: given without the event's seq, prev and hash",
    ),
    "a record time on a plain line": (
        lambda e: [_plain(e[0], recorded_at="2025-01-01T00:00:00Z")],
        "recorded_at: given without the event's seq, prev and hash",
    ),
    "seq without prev and hash": (lambda e: [{**_plain(e[0]), "seq": 1}], "prev: required with seq"),
    "a shortened chain": (lambda e: [e[0], e[2]], "seq: the file says 3, the log computes 2"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_what_the_log_computes_is_checked_or_refused(tmp_path: Path, exported: list[dict[str, Any]], name: str) -> None:
    forge, says = CASES[name]
    assert _run(tmp_path, "init").returncode == 0
    before = (tmp_path / "accords.db").read_bytes()
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(e) + "\n" for e in forge(exported)))
    done = _run(tmp_path, "import", "in.jsonl")
    assert done.returncode == 2 and says in done.stderr and "in.jsonl:" in done.stderr, done.stderr
    assert (tmp_path / "accords.db").read_bytes() == before


def test_an_export_reimports_byte_for_byte_and_plain_lines_are_stamped(
    tmp_path: Path, exported: list[dict[str, Any]]
) -> None:
    """The harmless twins: a whole export into an empty log gives the same log; into the
    same log, nothing new; the same events as plain lines are recorded anew, stamped now."""
    text = "".join(json.dumps(e) + "\n" for e in exported)
    (tmp_path / "all.jsonl").write_text(text)
    assert _run(tmp_path, "init").returncode == 0
    assert _run(tmp_path, "import", "all.jsonl").returncode == 0
    again = _run(tmp_path, "export", "--format", "jsonl").stdout
    assert [json.loads(line) for line in again.splitlines()] == exported
    assert "0 new events, 17 already recorded" in _run(tmp_path, "import", "all.jsonl").stderr
    other = tmp_path / "other"
    other.mkdir()
    (other / "plain.jsonl").write_text("".join(json.dumps(_plain(e)) + "\n" for e in exported))
    assert _run(other, "init").returncode == 0 and _run(other, "import", "plain.jsonl").returncode == 0
    anew = [json.loads(line) for line in _run(other, "export", "--format", "jsonl").stdout.splitlines()]
    assert [e["id"] for e in anew] == [e["id"] for e in exported]  # the same events, in a chain of their own
    assert all(e["recorded_at"] >= exported[-1]["recorded_at"] for e in anew)
