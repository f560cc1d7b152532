"""A person forgotten (events/personal.py): a claim's persons sealed when recorded, the chain
holding only the seal, and `accords erase` destroying the key, on SQLite and PostgreSQL.

Afterwards the chain verifies and a proof made before still checks; trace, log, show and
every export read [erased]; and neither the name nor the key is left in the SQLite file,
its WAL, the graph on disk, or the PostgreSQL table's files. The person and the page are
made up; the quote is worded as wire copy words such a report."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import Runner

NAME = "Marisol Quintana"
QUOTE = (
    "Marisol Quintana, 41, a Cuban national, was on the flight to Eswatini, her sister said."
    " Quintana had lived in Texas for 20 years."
)
SOURCE = {
    "type": "SourceRegistered",
    "key": "src-wire",
    "body": {
        "title": "Deportees held in Eswatini",
        "kind": "wire",
        "publisher": "Wire",
        "published": "2025-07-17",
        "url": "https://wire.example/eswatini",
    },
}
PERSON = {
    "id": "person/esw-7",
    "name": NAME,
    "details": {"born_in": "Matanzas", "age": 41},
    "mentions": [NAME, "Quintana"],
}
CLAIM = {
    "type": "ClaimRecorded",
    "key": "c-flight",
    "body": {
        "source": "src-wire",
        "quote": QUOTE,
        "attributed_to": "her sister",
        "statement": {"@type": "Transfer", "from": "state/US", "to": "state/SZ", "arrived": "2025-07-16"},
        "certainty": "reported",
        "persons": [PERSON],
    },
}


def write(path: Path, *events: dict[str, Any]) -> str:
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return str(path)


def ok(run: Runner, *args: str) -> str:
    done = run(*args)
    assert done.exit_code == 0, (args, done.stderr)
    return done.stdout


def stored_bodies(url: str) -> str:
    if url.startswith("postgresql://"):
        with psycopg.connect(url) as db:
            return "\n".join(row[0] for row in db.execute("SELECT body FROM events"))
    with sqlite3.connect(url) as db:
        return "\n".join(row[0] for row in db.execute("SELECT body FROM events"))


def held_key(url: str) -> bytes:
    if url.startswith("postgresql://"):
        with psycopg.connect(url) as db:
            row = db.execute("SELECT key FROM person_keys WHERE person = 'person/esw-7'").fetchone()
    else:
        with sqlite3.connect(url) as db:
            row = db.execute("SELECT key FROM person_keys WHERE person = 'person/esw-7'").fetchone()
    assert row is not None and row[0] is not None
    return bytes(row[0])


def files_of(url: str, tmp_path: Path) -> list[Path]:
    """Every file the store keeps (the SQLite file and its WAL, or the PostgreSQL database's
    table files) and every file of its graph on disk (beside a SQLite file; in the cache
    folder for PostgreSQL)."""
    graph = tmp_path / "cache" if url.startswith("postgresql://") else tmp_path / "accords.db.graph"
    found = [p for p in graph.rglob("*") if p.is_file()]
    assert found, "the graph was built on disk"
    if url.startswith("postgresql://"):
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("CHECKPOINT")  # the table's pages written from the server's buffers to its files
            data = db.execute("SHOW data_directory").fetchone()[0]  # type: ignore[index]
            oid = db.execute("SELECT oid FROM pg_database WHERE datname = current_database()").fetchone()[0]  # type: ignore[index]
        return found + [p for p in (Path(data) / "base" / str(oid)).iterdir() if p.is_file()]
    return found + [p for p in tmp_path.glob("accords.db*") if p.is_file()]


def test_a_person_is_sealed_read_and_erased(run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # a PostgreSQL store's graph goes there
    if not run.store.startswith("postgresql://"):
        # another process has the file open (accords serve, say): no command's exit then
        # checkpoints the WAL and removes it, which would hide what the erasure leaves there
        other = sqlite3.connect(run.store)
        other.execute("SELECT COUNT(*) FROM events").fetchone()
    ok(run, "import", write(tmp_path / "in.jsonl", SOURCE, CLAIM))
    # sealing is deterministic: the same line recorded again is the same event
    again = run("import", str(tmp_path / "in.jsonl"))
    assert again.exit_code == 0 and "0 new events, 2 already recorded" in again.stderr, again.stderr
    # the chain holds marks and a seal, not the name
    bodies = stored_bodies(run.store)
    assert "Quintana" not in bodies and "Matanzas" not in bodies
    assert "⟦person/esw-7#1⟧, 41, a Cuban national" in bodies and "⟦person/esw-7#2⟧ had lived" in bodies
    # a reader sees the person
    shown = json.loads(ok(run, "show", "c-flight"))
    assert shown["body"]["quote"] == QUOTE
    assert shown["body"]["persons"] == [PERSON]
    traced = json.loads(ok(run, "trace", "c-flight", "--format", "json"))
    assert traced["claims"][0]["quote"] == QUOTE
    assert NAME in ok(run, "export", "--format", "trig")
    exported = tmp_path / "before.jsonl"
    ok(run, "export", "-o", str(exported))
    assert '"keys":{"person/esw-7"' in exported.read_text()
    # an export re-imports to the same chain, the person readable there
    copy = Runner(str(tmp_path / "copy.db"))
    ok(copy, "init")
    ok(copy, "import", str(exported))
    assert json.loads(ok(copy, "show", "c-flight"))["body"]["quote"] == QUOTE
    assert ok(copy, "verify").split("head ")[1] == ok(run, "verify").split("head ")[1]
    # proofs made before the erasure
    checkpoint = tmp_path / "checkpoint.json"
    checkpoint.write_text(ok(run, "checkpoint"))
    proof = tmp_path / "inclusion.json"
    proof.write_text(ok(run, "prove", "c-flight"))
    key = held_key(run.store)
    on_disk = b"".join(p.read_bytes() for p in files_of(run.store, tmp_path))
    assert key in on_disk and NAME.encode() in on_disk  # what the erasure must take out of the files

    # the installed command, in a process of its own, as a user runs it
    env = {**os.environ, "ACCORDS_STORE": run.store, "ACCORDS_USER": "legal-desk"}
    command = [shutil.which("accords") or "accords", "erase", "person/esw-7", "--reason", "the person's request"]
    done = subprocess.run([*command, "--format", "json"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["new"] is True

    assert run("verify").exit_code == 0
    assert run("prove", "--check", str(proof)).exit_code == 0
    assert run("prove", "--from", str(checkpoint)).exit_code == 0
    erased_quote = QUOTE.replace(NAME, "[erased]").replace("Quintana", "[erased]")
    shown = json.loads(ok(run, "show", "c-flight"))
    assert shown["body"]["quote"] == erased_quote
    assert shown["body"]["persons"] == [{"id": "person/esw-7", "name": "[erased]", "details": {}, "mentions": []}]
    assert json.loads(ok(run, "trace", "c-flight", "--format", "json"))["claims"][0]["quote"] == erased_quote
    outputs = [ok(run, "log", "--format", "json"), ok(run, "trace", "c-flight")]
    for fmt in ("jsonl", "trig", "nquads", "jsonld", "turtle", "prov", "claimreview", "annotation"):
        outputs.append(ok(run, "export", "--format", fmt))
    for out in outputs:
        assert "Quintana" not in out and "Matanzas" not in out
    assert "[erased]" in ok(run, "export", "--format", "annotation")
    assert '"keys"' not in ok(run, "export", "--format", "jsonl")
    # nothing left in the store's files or the graph on disk: not the key, not the name
    files = files_of(run.store, tmp_path)
    assert files
    for path in files:
        data = path.read_bytes()
        assert key not in data, path
        assert NAME.encode() not in data and b"Quintana" not in data, path

    # final: erasing again finishes nothing new, the id is not reused, the old export brings nothing back
    again = run("erase", "person/esw-7", "--reason", "again", "--format", "json")
    assert again.exit_code == 0 and json.loads(again.stdout)[0]["new"] is False
    reused = dict(CLAIM, key="c-again", body=dict(CLAIM["body"], quote=QUOTE + " "))  # type: ignore[arg-type]
    refused = run("import", write(tmp_path / "again.jsonl", reused))
    assert refused.exit_code == 2 and "person/esw-7 was erased" in refused.stderr
    ok(run, "import", str(exported))
    assert json.loads(ok(run, "show", "c-flight"))["body"]["quote"] == erased_quote


BAD = [
    ("the id spells the name", {"id": "person/quintana-1"}, "spells part of the name"),
    ("a mention not in the quote", {"mentions": ["M. Quintana"]}, "does not occur in the quote"),
    ("an unknown field", {"born": "1984"}, "persons[0].born: unknown field"),
    ("details nested", {"details": {"family": {"sister": "Ana"}}}, "details: expected"),
    ("an id that is no person's", {"id": "actor/esw-7"}, "is not a person's id"),
    ("no name", {"name": " "}, "name: required"),
]


@pytest.mark.parametrize(("case", "change", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_person_given_wrong_is_refused_and_nothing_written(
    sqlite_run: Runner, tmp_path: Path, snapshot: Any, case: str, change: dict[str, Any], message: str
) -> None:
    ok(sqlite_run, "import", write(tmp_path / "source.jsonl", SOURCE))
    before = snapshot(sqlite_run.store)
    claim = dict(CLAIM, body=dict(CLAIM["body"], persons=[dict(PERSON, **change)]))  # type: ignore[arg-type]
    done = sqlite_run("import", write(tmp_path / "bad.jsonl", claim))
    assert done.exit_code == 2 and message in done.stderr, done.stderr
    assert snapshot(sqlite_run.store) == before


def test_erasing_no_one_is_refused(sqlite_run: Runner, tmp_path: Path, snapshot: Any) -> None:
    ok(sqlite_run, "import", write(tmp_path / "in.jsonl", SOURCE, CLAIM))
    before = snapshot(sqlite_run.store)
    for person, message in (("person/esw-8", "no person person/esw-8"), ("Marisol", "is not a person's id")):
        done = sqlite_run("erase", person, "--reason", "test")
        assert done.exit_code == 2 and message in done.stderr, done.stderr
    assert snapshot(sqlite_run.store) == before


def test_a_seal_moved_to_another_person_does_not_open(sqlite_run: Runner, tmp_path: Path) -> None:
    """The id is bound to the ciphertext: a sealed person copied under another id reads as withheld."""
    ok(sqlite_run, "import", write(tmp_path / "in.jsonl", SOURCE, CLAIM))
    line = json.loads(ok(sqlite_run, "export").splitlines()[1])
    sealed = line["body"]["persons"][0]["sealed"]
    moved = {
        "type": "ClaimRecorded",
        "key": "c-moved",
        "body": dict(line["body"], persons=[{"id": "person/esw-9", "sealed": sealed}], quote="⟦person/esw-9#1⟧ said."),
        "keys": {"person/esw-9": line["keys"]["person/esw-7"]},
    }
    ok(sqlite_run, "import", write(tmp_path / "moved.jsonl", moved))
    assert json.loads(ok(sqlite_run, "show", "c-moved"))["body"]["quote"] == "[withheld] said."


def test_a_line_carrying_a_key_of_someone_it_does_not_name_is_refused(
    sqlite_run: Runner, tmp_path: Path, snapshot: Any
) -> None:
    ok(sqlite_run, "import", write(tmp_path / "in.jsonl", SOURCE))
    before = snapshot(sqlite_run.store)
    line = dict(CLAIM, keys={"person/esw-8": "A" * 88})
    done = sqlite_run("import", write(tmp_path / "keys.jsonl", line))
    assert done.exit_code == 2 and "keys: expected the keys of the persons the body names" in done.stderr
    assert snapshot(sqlite_run.store) == before
