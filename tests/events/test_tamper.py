"""An attacker with database access changes stored bytes: verify and proofs notice."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from accords.events import integrity, note
from accords.events.errors import InputError, NotConforming
from accords.events.backends import open_store
from accords.events.witness import location

from tampering import DATA, attack, rechained


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
    statements = ["DELETE FROM checkpoints", "DELETE FROM events"] + rechained(run.store)
    attack(run.store, statements)
    again = run("verify")  # the chain verifies again; what this user saw of it does not
    assert again.exit_code == 1 and "the log was rewritten at or before seq 4" in again.stderr
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


@pytest.fixture
def signer(tmp_path: Path) -> Path:
    key = tmp_path / "key.pem"
    key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return key


def test_signed_checkpoint(run, signer: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("import", str(DATA / "sample.jsonl"))
    doc = json.loads(run("checkpoint", "--sign", str(signer)).stdout)
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
    from accords.events.witness import identity

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


# -- a checkpoint sent as a C2SP signed note: the log must extend it, whatever the store says
# (the witness holds what one user saw; a signed note what its signer saw, for anyone with
# the verifier key, on a machine whose witness never saw the log)

# The example of Go's note package (golang.org/x/mod/sumdb/note), which every tool of the
# format checks against: Ed25519 is deterministic, so the same key signs the same bytes.
GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_NOTE = (
    GO_TEXT
    + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def go_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(GO_SIGNER.split("+", 4)[4])[1:])


def test_a_note_signed_here_is_the_one_go_signs() -> None:
    assert note.sign(GO_TEXT, "PeterNeumann", go_key()) == GO_NOTE
    assert str(note.verifier("PeterNeumann", go_key())) == GO_VERIFIER
    assert note.open_note(GO_NOTE, note.parse_verifier(GO_VERIFIER, "key"), "note") == GO_TEXT


def test_a_note_is_worth_the_key_one_trusts() -> None:
    trusted = note.parse_verifier(GO_VERIFIER, "key")
    with pytest.raises(NotConforming, match="does not verify: the note was altered"):
        note.open_note(GO_NOTE.replace("cryptography", "cryptographY"), trusted, "note")
    other = note.verifier("PeterNeumann", Ed25519PrivateKey.generate())
    with pytest.raises(NotConforming, match="not signed by PeterNeumann"):
        note.open_note(GO_NOTE, other, "note")
    for bad in (
        GO_VERIFIER.replace("c74f20a3", "c74f20a4"),
        GO_VERIFIER[:-2],
        "PeterNeumann",
        "Peter Neumann+c74f20a3+AA==",
    ):
        with pytest.raises(InputError):
            note.parse_verifier(bad, "key")
    for bad in (GO_TEXT, GO_NOTE.replace("\n\u2014", "\n-"), GO_NOTE.replace("then", "\x1bthen")):
        with pytest.raises(InputError):
            note.open_note(bad, trusted, "note")


def mail(run, signer: Path, tmp_path: Path) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    """A signed note of the log as it stands, as its reader receives it, and the verifier key."""
    made = run("checkpoint", "--sign", str(signer), "--note", "newsroom.example/deportations")
    assert made.exit_code == 0, made.stderr
    assert made.stdout.splitlines()[:2] == ["newsroom.example/deportations", "4"]
    received = tmp_path / "june.note"
    received.write_text(made.stdout, encoding="utf-8")
    return received, made.stderr.split("verifier key: ")[1].strip()


def test_an_honest_log_extends_the_note_it_signed(run, signer: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("import", str(DATA / "sample.jsonl"))
    received, key = mail(run, signer, tmp_path)
    run("record", "--type", "SourceRegistered", "-f", "title=Later", "-f", "kind=news")
    result = run("verify", "--against", str(received), "--key", key)
    assert result.exit_code == 0, result.stderr
    assert f"ok: the log extends {received}, signed by newsroom.example/deportations" in result.stdout


@pytest.mark.parametrize("kept", [3, 0], ids=["the last event", "every event"])
def test_a_shortened_log_is_caught_by_a_note(run, signer: Path, tmp_path: Path, kept: int) -> None:  # type: ignore[no-untyped-def]
    run("import", str(DATA / "sample.jsonl"))
    received, key = mail(run, signer, tmp_path)
    attack(run.store, [f"DELETE FROM events WHERE seq > {kept}", "DELETE FROM checkpoints"])
    location().unlink()  # a reader on another machine: no witness saw this log
    assert run("verify").exit_code == 0  # the chain that is left verifies by itself
    location().unlink()
    result = run("verify", "--against", str(received), "--key", key)
    assert result.exit_code == 1
    assert f"seq {kept + 1}: {received} (newsroom.example/deportations) covers 4 events" in result.stderr
    assert f"seq {kept + 1}-4 went missing" in result.stderr


def test_a_rechained_log_is_caught_by_a_note(run, signer: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Seq 2 rewritten and every later hash computed again, the checkpoints dropped."""
    run("import", str(DATA / "sample.jsonl"))
    received, key = mail(run, signer, tmp_path)
    statements = ["DELETE FROM checkpoints", "DELETE FROM events"] + rechained(run.store)
    attack(run.store, statements)
    location().unlink()
    assert run("verify").exit_code == 0
    location().unlink()
    result = run("verify", "--against", str(received), "--key", key)
    assert result.exit_code == 1
    assert "seq 4: events 1..4 are not those" in result.stderr and "rewritten at or before seq 4" in result.stderr


def test_a_note_not_signed_by_the_key_one_holds(run, signer: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("import", str(DATA / "sample.jsonl"))
    received, key = mail(run, signer, tmp_path)
    altered = tmp_path / "altered.note"
    altered.write_text(received.read_text(encoding="utf-8").replace("\n4\n", "\n3\n"), encoding="utf-8")
    result = run("verify", "--against", str(altered), "--key", key)
    assert result.exit_code == 1 and "does not verify: the note was altered" in result.stderr
    stranger = str(note.verifier("newsroom.example/deportations", Ed25519PrivateKey.generate()))
    result = run("verify", "--against", str(received), "--key", stranger)
    assert result.exit_code == 1 and "not signed by newsroom.example/deportations+" in result.stderr


def test_bad_input_to_the_note_commands(run, signer: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("import", str(DATA / "sample.jsonl"))
    received, key = mail(run, signer, tmp_path)
    unsigned = run("checkpoint", "--note", "newsroom.example/deportations")
    assert unsigned.exit_code == 2 and "a note must be signed" in unsigned.stderr
    spaced = run("checkpoint", "--sign", str(signer), "--note", "news room")
    assert spaced.exit_code == 2 and "is not a key name" in spaced.stderr
    alone = run("verify", "--against", str(received))
    assert alone.exit_code == 2 and "--against and --key go together" in alone.stderr
    not_a_key = run("verify", "--against", str(received), "--key", "newsroom")
    assert not_a_key.exit_code == 2 and "--key: not a verifier key" in not_a_key.stderr
    plain = tmp_path / "plain.note"
    plain.write_text("newsroom.example/deportations\n4\n", encoding="utf-8")
    result = run("verify", "--against", str(plain), "--key", key)
    assert result.exit_code == 2 and "not a signed note" in result.stderr
