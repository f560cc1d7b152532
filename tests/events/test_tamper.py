"""An attacker with database access changes stored bytes: verify and proofs notice."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from accords.events import integrity
from accords.events.model import GENESIS, event_hash, event_id
from accords.events.backends import open_store

DATA = Path(__file__).parent / "data"


def attack(url: str, statements: list[str]) -> None:
    """Run SQL as an attacker would: the append-only triggers switched off first."""
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url) as db:
            db.execute("ALTER TABLE events DISABLE TRIGGER USER")
            db.execute("ALTER TABLE checkpoints DISABLE TRIGGER USER")
            for sql in statements:
                db.execute(sql)
            db.execute("ALTER TABLE events ENABLE TRIGGER USER")
            db.execute("ALTER TABLE checkpoints ENABLE TRIGGER USER")
    else:
        import sqlite3

        db = sqlite3.connect(url)
        triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        script = "".join(f"DROP TRIGGER {name};" for name, _ in triggers)
        script += ";".join(statements) + ";" + ";".join(sql for _, sql in triggers) + ";"
        db.executescript(script)
        db.close()


def flip(text: str, at: int) -> str:
    """text with one character changed (a one-byte change for ASCII text)."""
    return text[:at] + ("0" if text[at] != "0" else "1") + text[at + 1 :]


TAMPERS = {  # each changes the event e and, for "order", the one after it
    "body": lambda e: [
        f"UPDATE events SET body = '{e.body.decode().replace('officials', 'offic1als')}' WHERE seq = {e.seq}"
    ],
    "hash": lambda e: [f"UPDATE events SET hash = '{flip(e.hash, 5)}' WHERE seq = {e.seq}"],
    "prev": lambda e: [f"UPDATE events SET prev = '{flip(e.prev, 0)}' WHERE seq = {e.seq}"],
    "type": lambda e: [f"UPDATE events SET type = 'ClaimReviewed' WHERE seq = {e.seq}"],
    "recorded_by": lambda e: [f"UPDATE events SET recorded_by = 'mallory' WHERE seq = {e.seq}"],
    "order": lambda e: [
        f"UPDATE events SET seq = 1000 WHERE seq = {e.seq}",
        f"UPDATE events SET seq = {e.seq} WHERE seq = {e.seq + 1}",
        f"UPDATE events SET seq = {e.seq + 1} WHERE seq = 1000",
    ],
    "deletion": lambda e: [f"DELETE FROM events WHERE seq = {e.seq}"],
}


ID_WRONG = "the id does not match the type and body (the body or type was altered)"
HASH_WRONG = "the hash does not match the event (a field was altered)"
PREV_WRONG = "prev is "
WHAT = {
    "body": ID_WRONG,
    "hash": HASH_WRONG,
    "prev": PREV_WRONG,
    "type": ID_WRONG,
    "recorded_by": HASH_WRONG,
    "order": PREV_WRONG,  # seq 3's event now at seq 2 links to seq 2's hash, not seq 1's
    "deletion": "expected seq {seq} here, found seq {next} (events missing or reordered)",
}


@pytest.mark.parametrize("field", list(TAMPERS))
def test_verify_names_the_tampered_seq(field: str, run) -> None:  # type: ignore[no-untyped-def]
    assert run("import", str(DATA / "sample.jsonl")).exit_code == 0
    assert run("verify").exit_code == 0
    second = list(open_store(run.store).read(2, 2))[0]
    attack(run.store, TAMPERS[field](second))
    result = run("verify")
    assert result.exit_code == 1, result.output
    assert f"seq 2: {WHAT[field].format(seq=2, next=3)}" in result.stderr, result.stderr


@pytest.mark.parametrize("seq", [4, 5, 10])  # ranges of 3 processes over 12 events: ..4, 5..8, 9..
@pytest.mark.parametrize("field", list(TAMPERS))
def test_verify_split_over_processes_finds_what_one_scan_finds(
    field: str, seq: int, store_url: str, write_log: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(integrity, "MIN_RANGE", 1)
    write_log(store_url, 12, checkpoint=10)  # its leaves come from two of the ranges
    store = open_store(store_url)
    whole = integrity.verify(store, processes=3)
    assert (whole.events, whole.problem) == (12, None)
    assert whole == integrity.verify(store, processes=1)
    attack(store_url, TAMPERS[field](next(store.read(seq, seq))))
    one = integrity.verify(store, processes=1)
    split = integrity.verify(store, processes=3)
    assert split == one
    assert one.problem is not None and one.problem.seq == seq
    assert one.problem.what.startswith(WHAT[field].format(seq=seq, next=seq + 1))


def test_the_accords_command_verifies_a_long_log_in_two_processes(tmp_path: Path, write_log: Any) -> None:
    """40,000 events: two ranges of 20,000 (integrity.MIN_RANGE), the second checked by a
    forked `accords verify`, which names a change in it as one scan would."""
    accords = shutil.which("accords")
    assert accords, "the accords command is installed"
    store = str(tmp_path / "accords.db")
    open_store(store, create=True).close()
    write_log(store, 40_000)
    command = [accords, "verify", "-j", "2", "--store", store]
    clean = subprocess.run(command, capture_output=True, text=True)
    assert clean.returncode == 0 and clean.stdout.startswith("ok: 40000 events verify"), clean.stderr
    attack(store, TAMPERS["recorded_by"](next(open_store(store).read(30_000, 30_000))))
    tampered = subprocess.run(command, capture_output=True, text=True)
    assert tampered.returncode == 1
    assert f"seq 30000: {HASH_WRONG}" in tampered.stderr, tampered.stderr


def test_verify_names_the_first_of_two_tampered_events(run) -> None:  # type: ignore[no-untyped-def]
    run("import", str(DATA / "sample.jsonl"))
    attack(run.store, ["UPDATE events SET recorded_by = 'mallory' WHERE seq IN (2, 3)"])
    result = run("verify", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)[0] | {"head": None} == {
        "ok": False,
        "events": 1,
        "head": None,
        "bad_seq": 2,
        "problem": HASH_WRONG,
    }


def test_verify_checks_every_stored_checkpoint(run) -> None:  # type: ignore[no-untyped-def]
    run("import", str(DATA / "sample.jsonl"))
    run("checkpoint")
    run("record", "--type", "SourceRegistered", "-f", "title=Later", "-f", "kind=news")
    run("checkpoint")
    run("record", "--type", "SourceRegistered", "-f", "title=Later still", "-f", "kind=news")
    assert run("verify").exit_code == 0
    attack(run.store, [f"UPDATE checkpoints SET root = '{'0' * 64}' WHERE tree_size = 4"])
    result = run("verify")
    assert result.exit_code == 1
    assert "seq 4: the checkpoint of " in result.stderr
    assert "does not match events 1..4: history was rewritten" in result.stderr


def test_truncation_is_caught_by_a_stored_checkpoint(run) -> None:  # type: ignore[no-untyped-def]
    run("import", str(DATA / "sample.jsonl"))
    run("checkpoint")
    attack(run.store, ["DELETE FROM events WHERE seq = 4"])
    result = run("verify")
    assert result.exit_code == 1
    assert "events were removed" in result.stderr


def test_rewritten_history_fails_the_consistency_proof(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A careful attacker rewrites seq 2, recomputes every later hash and drops the
    stored checkpoints: the chain verifies again, but a checkpoint held elsewhere
    no longer does."""
    run("import", str(DATA / "sample.jsonl"))
    held = tmp_path / "checkpoint.json"
    held.write_text(run("checkpoint").stdout)
    events = list(open_store(run.store).read())
    prev, rows = GENESIS, []
    for e in events:
        body = e.body.replace(b"financial incentives", b"no incentives") if e.seq == 2 else e.body
        id_ = event_id(e.type, body)
        h = event_hash(e.seq, id_, e.type, e.key, e.recorded_at, e.recorded_by, body, prev)
        rows.append((e.seq, id_, e.type, e.key, e.recorded_at, e.recorded_by, body.decode(), prev, h))
        prev = h
    # later bodies refer to the rewritten claim by its old id; the attacker leaves them
    statements = ["DELETE FROM checkpoints", "DELETE FROM events"] + [
        "INSERT INTO events (seq, id, type, key, recorded_at, recorded_by, body, prev, hash) VALUES ("
        + ", ".join(
            "NULL" if v is None else str(v) if isinstance(v, int) else "'" + v.replace("'", "''") + "'" for v in row
        )
        + ")"
        for row in rows
    ]
    attack(run.store, statements)
    rechained = run("verify")  # the chain verifies again; what this user saw of it does not
    assert rechained.exit_code == 1 and "the log was rewritten at or before seq 4" in rechained.stderr
    result = run("prove", "--from", str(held))
    assert result.exit_code == 1
    assert "history up to seq 4 was rewritten" in result.stderr
    proof = tmp_path / "proof.json"
    proof.write_text(result.stdout)
    assert run("prove", "--check", str(proof)).exit_code == 1


def test_an_honest_log_extends_its_checkpoint(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("import", str(DATA / "sample.jsonl"))
    held = tmp_path / "checkpoint.json"
    held.write_text(run("checkpoint").stdout)
    run("record", "--type", "SourceRegistered", "-f", "title=Later", "-f", "kind=news")
    result = run("prove", "--from", str(held))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["old_size"], doc["new_size"]) == (4, 5)
    proof = tmp_path / "proof.json"
    proof.write_text(result.stdout)
    held_root = json.loads(held.read_text())["root"]
    assert doc["old_root"] == held_root
    for trusted in (held_root, doc["new_root"]):  # the root one holds, or the one it proves
        assert run("prove", "--check", str(proof), "--root", trusted).exit_code == 0
    other = run("prove", "--check", str(proof), "--root", flip(held_root, 0))
    assert other.exit_code == 1 and "not about root" in other.stderr
    inclusion = tmp_path / "inclusion.json"
    inclusion.write_text(run("prove", "c-rwanda-paid").stdout)
    assert run("prove", "--check", str(inclusion)).exit_code == 0
    tampered = json.loads(inclusion.read_text())
    tampered["event_hash"] = flip(tampered["event_hash"], 3)
    inclusion.write_text(json.dumps(tampered))
    assert run("prove", "--check", str(inclusion)).exit_code == 1


def test_signed_checkpoint(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = tmp_path / "key.pem"
    key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    run("import", str(DATA / "sample.jsonl"))
    doc = json.loads(run("checkpoint", "--sign", str(key)).stdout)
    assert len(doc["signature"]) == 128
    held = tmp_path / "cp.json"
    held.write_text(json.dumps(doc))
    assert run("prove", "--from", str(held), "--key", doc["public_key"]).exit_code == 0
    other = run("prove", "--from", str(held), "--key", flip(doc["public_key"], 0))
    assert other.exit_code == 1 and "not signed by key" in other.stderr
    held.write_text(json.dumps({**doc, "signature": flip(doc["signature"], 5)}))
    forged = run("prove", "--from", str(held))
    assert forged.exit_code == 1 and "signature does not verify" in forged.stderr
    assert run("verify").exit_code == 0
    attack(run.store, ["UPDATE checkpoints SET created_at = '2000-01-01T00:00:00.000000Z'"])
    result = run("verify")
    assert result.exit_code == 1
    assert "bad signature" in result.stderr


@pytest.mark.parametrize("kept", [3, 0], ids=["the last event", "every event"])
def test_a_shortened_log_is_caught_by_the_witness(run, kept: int) -> None:  # type: ignore[no-untyped-def]
    """Events and the stored checkpoints deleted together: the chain that is left verifies,
    but this user saw the log longer (events/witness.py), and verify says what went missing."""
    run("import", str(DATA / "sample.jsonl"))
    run("checkpoint")
    assert run("verify").exit_code == 0
    attack(run.store, [f"DELETE FROM events WHERE seq > {kept}", "DELETE FROM checkpoints"])
    result = run("verify")
    assert result.exit_code == 1
    assert f"seq {kept + 1}: the log ends at seq {kept}, but this user saw it at seq 4" in result.stderr
    assert f"seq {kept + 1}-4 went missing" in result.stderr


def test_an_honest_log_moves_the_witness_forward(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The harmless twin: appends and verifies move what was seen to the head."""
    from accords.events.witness import identity, location

    run("import", str(DATA / "sample.jsonl"))
    assert run("verify").exit_code == 0
    run("record", "--type", "SourceRegistered", "--field", "title=Later", "--field", "kind=news")
    assert run("verify").exit_code == 0
    seen = json.loads(location().read_text())[identity(run.store)]
    assert seen["seq"] == 5 and seen["hash"] == open_store(run.store).head().hash


def test_a_new_log_made_where_one_was_is_held_anew(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    """Removing a log and making another in its place is the user's act: init forgets what
    was seen there. Init on a log that is still there (cut short) forgets nothing."""
    run = sqlite_run
    run("import", str(DATA / "sample.jsonl"))
    assert run("verify").exit_code == 0
    attack(run.store, ["DELETE FROM events WHERE seq > 2", "DELETE FROM checkpoints"])
    assert "a log was here before" not in run("init").stderr
    assert run("verify").exit_code == 1
    Path(run.store).unlink()
    assert "a log was here before (seen at seq 4 on " in run("init").stderr
    run("import", str(DATA / "sample.jsonl"))
    assert run("verify").exit_code == 0
