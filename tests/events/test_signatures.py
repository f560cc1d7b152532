"""Recorders sign what they append (events/signatures.py): verify checks every signature,
log, show and trace say who signed, and an attacker who rewrites a signed event and
re-hashes the chain is caught by the signature, not only by a witness."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from accords.events.backends import open_store
from accords.events.signatures import make_key
from accords.events.store import SIGNING_IN
from accords.events.witness import location

from tampering import DATA, attack, rechained


def page(title: str = "A page") -> list[str]:
    return ["--type", "SourceRegistered", "-f", f"title={title}", "-f", "kind=news"]


def signed_log(run, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """The sample log (unsigned), then Ana's key and an append she signs (seq 5-8)."""
    run("import", str(DATA / "sample.jsonl"))
    key = tmp_path / "ana.pem"
    made = run("key", "new", "Ana Ruiz", "-o", str(key))
    assert made.exit_code == 0, made.stderr
    assert key.stat().st_mode & 0o777 == 0o600
    done = run("record", "--sign", str(key), *page())
    assert done.exit_code == 0, done.stderr
    return key


def test_signed_appends_verify_and_say_who_signed(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    signed_log(run, tmp_path)
    assert run("verify").exit_code == 0
    rows = json.loads(run("log", "--format", "json").stdout)
    said = {r["seq"]: (r["type"], r["recorded_by"], r["signed"]) for r in rows}
    fingerprint = json.loads(run("key", "list", "--format", "json").stdout)[0]["fingerprint"]
    assert said[1][2] == "unsigned"  # recorded before any key: valid, unsigned
    assert said[5] == ("KeyRegistered", "Ana Ruiz", f"signed by Ana Ruiz ({fingerprint})")
    assert said[6] == ("EventsSigned", "Ana Ruiz", "the signature of seq 5-5")
    assert said[7] == ("SourceRegistered", "Ana Ruiz", f"signed by Ana Ruiz ({fingerprint})")
    assert json.loads(run("show", "7").stdout)["signed"] == f"signed by Ana Ruiz ({fingerprint})"
    assert json.loads(run("show", "1").stdout)["signed"] == "unsigned"
    traced = json.loads(run("trace", "c-rwanda-paid", "--format", "json").stdout)
    assert {c["signed"] for c in traced["claims"]} == {"unsigned"}


def test_a_signed_import_is_sealed_once_and_survives_export(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    key = signed_log(run, tmp_path)
    lines = [
        json.dumps({"type": "SourceRegistered", "body": {"title": f"Page {n}", "kind": "news"}}) for n in range(50)
    ]
    (tmp_path / "pages.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run("import", "--sign", str(key), str(tmp_path / "pages.jsonl")).exit_code == 0
    rows = json.loads(run("log", "--from-seq", "9", "--format", "json").stdout)
    assert [r["type"] for r in rows].count("EventsSigned") == 1 and rows[-1]["summary"].startswith("seq 9-58 ")
    assert {r["signed"] for r in rows[:-1]} == {rows[0]["signed"]} and rows[0]["signed"].startswith("signed by Ana")
    exported = tmp_path / "export.jsonl"
    exported.write_bytes(run("export").stdout_bytes)
    copy = tmp_path / "copy.db"
    assert run("init", "--store", str(copy)).exit_code == 0
    assert run("import", "--store", str(copy), str(exported)).exit_code == 0
    assert run("verify", "--store", str(copy)).exit_code == 0
    assert json.loads(run("show", "30", "--store", str(copy)).stdout)["signed"].startswith("signed by Ana Ruiz")


def test_a_signed_event_rewritten_and_rehashed_fails_its_signature(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """One byte of a signed body changed, every hash after it computed again: the chain
    verifies and no witness saw the log, but the signature is over the old hashes."""
    signed_log(run, tmp_path)
    events = list(open_store(run.store).read())
    altered = events[6].body.replace(b"A page", b"A pagE")
    statements = ["DELETE FROM checkpoints", "DELETE FROM events"] + rechained(run.store, {7: altered})
    attack(run.store, statements)
    location().unlink()
    result = run("verify")
    assert result.exit_code == 1
    assert "seq 7: seq 7-7: the signature by Ana Ruiz" in result.stderr
    assert "does not verify: the events were altered after they were signed" in result.stderr
    assert "BAD: the signature by Ana Ruiz" in json.loads(run("show", "7").stdout)["signed"]


def test_signatures_required_from_a_seq_on(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    key = signed_log(run, tmp_path)
    unsigned = run("key", "require", "--reason", "every append is signed")
    assert unsigned.exit_code == 2 and "requires signatures since seq 9" in unsigned.stderr
    assert run("key", "require", "--reason", "every append is signed", "--sign", str(key)).exit_code == 0
    head = open_store(run.store).head()
    refused = run("record", *page("Another page"))
    assert refused.exit_code == 2 and "the append would leave events unsigned" in refused.stderr
    assert open_store(run.store).head() == head  # nothing written
    assert run("record", "--sign", str(key), *page("Another page")).exit_code == 0
    assert run("verify").exit_code == 0
    # an attacker appends an unsigned event with a correct hash, where no witness looks
    forged = rechained(run.store, {}, more=[("SourceRegistered", b'{"kind":"news","title":"Forged"}')])
    attack(run.store, ["DELETE FROM checkpoints", "DELETE FROM events"] + forged)
    location().unlink()
    result = run("verify")
    assert result.exit_code == 1
    assert f"seq {len(forged)}: unsigned, but this log requires signatures since seq 9" in result.stderr


def test_a_revoked_key_signs_nothing_after(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    key = signed_log(run, tmp_path)
    fingerprint = json.loads(run("key", "list", "--format", "json").stdout)[0]["fingerprint"]
    assert run("key", "revoke", fingerprint, "--reason", "laptop lost", "--sign", str(key)).exit_code == 0
    refused = run("record", "--sign", str(key), *page("Another page"))
    assert refused.exit_code == 2 and "was revoked at seq 9" in refused.stderr
    assert run("verify").exit_code == 0
    assert json.loads(run("show", "7").stdout)["signed"] == f"signed by Ana Ruiz ({fingerprint})"
    listed = json.loads(run("key", "list", "--format", "json").stdout)[0]
    assert (listed["revoked"], listed["appends signed"]) == (9, 3)


def test_bad_keys_and_forged_seals_are_refused(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    key = signed_log(run, tmp_path)
    head = open_store(run.store).head()
    stranger = tmp_path / "stranger.pem"
    assert run("key", "new", "Mallory", "-o", str(key)).exit_code == 2  # the file exists: never overwritten
    made = run("key", "new", "Mallory", "-o", str(stranger), "--store", str(tmp_path / "other.db"))
    assert made.exit_code == 2 and not stranger.exists()  # no store there: nothing made
    make_key(stranger)
    unregistered = run("record", "--sign", str(stranger), *page("Another page"))
    assert unregistered.exit_code == 2 and "is not registered in this log" in unregistered.stderr
    not_a_key = run("key", "register", "Mallory", str(DATA / "sample.jsonl"))
    assert not_a_key.exit_code == 2 and "cannot read a PEM key" in not_a_key.stderr
    seal = json.loads(run("show", "6").stdout)  # Ana's signature of seq 5, said to be of seq 7
    forged = [{"type": "EventsSigned", "body": {**seal["body"], "first": 7, "last": 7}}]
    forged.append({"type": "EventsSigned", "body": {**seal["body"], "first": 1, "last": 4}})
    for n, line in enumerate(forged):
        (tmp_path / f"forged-{n}.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = run("import", str(tmp_path / "forged-0.jsonl"))
    assert result.exit_code == 2 and "seq 9: EventsSigned: the signature by Ana Ruiz" in result.stderr
    result = run("import", str(tmp_path / "forged-1.jsonl"))
    assert result.exit_code == 2 and "signed with a key this log did not register before it" in result.stderr
    assert open_store(run.store).head() == head


def test_a_log_written_before_signatures_still_verifies_projects_and_validates(sqlite_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """tests/events/data/main-107c388.sqlite: the seed, a retraction and a checkpoint, written by
    accords at commit 107c388, before events could be signed."""
    run = sqlite_run
    old = tmp_path / "old.db"
    shutil.copy(DATA / "main-107c388.sqlite", old)
    assert run("verify", "--store", str(old)).exit_code == 0
    assert {r["signed"] for r in json.loads(run("log", "--store", str(old), "--format", "json").stdout)} == {"unsigned"}
    assert run("project", "rdf", "--store", str(old)).exit_code == 0
    assert run("validate", "--store", str(old)).exit_code in (0, 1)  # findings, not a failure to run
    assert "unsigned" in run("trace", "c-rwanda-paid", "--store", str(old)).stdout
    # its first write gives it the index every append reads keys and signatures by
    assert run("record", "--store", str(old), *page()).exit_code == 0
    with sqlite3.connect(old) as db:
        plan = db.execute(f"EXPLAIN QUERY PLAN SELECT seq FROM events WHERE {SIGNING_IN} ORDER BY seq").fetchall()
    assert "USING INDEX events_signing" in plan[0][-1]
    assert run("verify", "--store", str(old)).exit_code == 0
