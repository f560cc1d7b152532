"""Integrity: verify the hash chain, write Merkle checkpoints, and prove inclusion and consistency.

A checkpoint is an RFC 6962 Merkle tree head over the event hashes of seq 1..tree_size,
optionally signed with Ed25519 over the canonical JSON of
``{"created_at": …, "root": …, "tree_size": …}``. Proofs are JSON documents that anyone
can check with the algorithms described in ``accords.events.merkle`` (RFC 9162 §2.1.3.2
and §2.1.4.2); ``accords prove --check`` is one implementation of that check.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from accords.errors import InputError
from accords.events import merkle
from accords.events.canonical import canonical
from accords.events.model import BODY_HEAD, GENESIS, Event, event_hash, event_id, hash_tail, id_tail
from accords.events.store import Checkpoint, Recorder, Row

PROOF_ALGORITHMS = {
    "inclusion": "RFC 9162 section 2.1.3.2 over RFC 6962 leaf hashes of event hashes",
    "consistency": "RFC 9162 section 2.1.4.2 over RFC 6962 leaf hashes of event hashes",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """The first thing wrong with the log: at which seq, and what."""

    seq: int
    what: str


@dataclass(frozen=True, slots=True)
class Verified:
    """The result of `verify`: how many events were checked, and the first problem if any."""

    events: int
    head: str
    problem: Problem | None


def _check_event(row: Row, seq: int, prev: str) -> str | None:
    """What is wrong with the row at position seq whose predecessor's hash is prev."""
    seq_, id_, type_, key, recorded_at, recorded_by, body, prev_, hash_ = row
    if seq_ != seq:
        return f"expected seq {seq} here, found seq {seq_} (events missing or reordered)"
    if prev_ != prev:
        return f"prev is {prev_[:12]}…, but the hash of seq {seq - 1} is {prev[:12]}…"
    if event_id(type_, body) != id_:
        return "the id does not match the type and body (the body or type was altered)"
    if event_hash(seq, id_, type_, key, recorded_at, recorded_by, body, prev) != hash_:
        return "the hash does not match the event (a field was altered)"
    return None


def verify(store: Recorder, progress: Callable[[int], None] | None = None) -> Verified:
    """Recompute every id, hash and link; compare stored checkpoints with the log.

    progress(seq) is called about every 10,000 events.
    """
    checkpoints = store.checkpoints()
    keep = max((cp.tree_size for cp in checkpoints), default=0)
    leaves: list[bytes] = []
    prev, seq = GENESIS, 0
    # Both hashed objects begin with the body (model.BODY_HEAD): hash it once, copy the state.
    head = hashlib.sha256(BODY_HEAD)
    id_tails: dict[str, bytes] = {}
    for rows in store.read_rows():
        for row in rows:
            seq += 1
            seq_, id_, type_, key, recorded_at, recorded_by, body, prev_, hash_ = row
            of_id = head.copy()
            of_id.update(body)
            of_envelope = of_id.copy()
            tail = id_tails.get(type_)
            if tail is None:
                tail = id_tails[type_] = id_tail(type_)
            of_id.update(tail)
            of_envelope.update(hash_tail(seq, id_, type_, key, recorded_at, recorded_by, prev))
            if (
                seq_ != seq
                or prev_ != prev
                or of_id.hexdigest() != id_
                or of_envelope.hexdigest() != hash_
            ):
                # The same checks again, one by one, to say which failed.
                what = _check_event(row, seq, prev)
                if what:
                    return Verified(seq - 1, prev, Problem(seq, what))
            if seq <= keep:
                leaves.append(of_envelope.digest())
            prev = hash_
        if progress and seq // 10000 > (seq - len(rows)) // 10000:
            progress(seq)
    for cp in checkpoints:
        problem = _check_checkpoint(cp, leaves)
        if problem:
            return Verified(seq, prev, problem)
    return Verified(seq, prev, None)


def _check_checkpoint(cp: Checkpoint, leaves: list[bytes]) -> Problem | None:
    if cp.tree_size > len(leaves):
        return Problem(
            len(leaves) + 1,
            f"a checkpoint of {cp.created_at} covers {cp.tree_size} events, the log has"
            f" {len(leaves)}: events were removed",
        )
    if merkle.root(leaves[: cp.tree_size]).hex() != cp.root:
        return Problem(
            cp.tree_size,
            f"the checkpoint of {cp.created_at} does not match events 1..{cp.tree_size}:"
            " history was rewritten",
        )
    if cp.signature and not signature_valid(cp):
        return Problem(cp.tree_size, f"the checkpoint of {cp.created_at} has a bad signature")
    return None


def leaves(store: Recorder, size: int | None = None) -> list[bytes]:
    """The Merkle leaves (event hashes as bytes) of events 1..size."""
    return [bytes.fromhex(e.hash) for e in store.read(1, size)]


def _signed_message(cp: Checkpoint) -> bytes:
    return canonical({"created_at": cp.created_at, "root": cp.root, "tree_size": cp.tree_size})


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PEM file (e.g. `openssl genpkey -algorithm ed25519`)."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as e:
        raise InputError(f"{path}: cannot read a PEM private key: {e}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"{path}: not an Ed25519 key", "openssl genpkey -algorithm ed25519 -out key.pem")
    return key


def make_checkpoint(
    store: Recorder, now: str, key: Ed25519PrivateKey | None = None
) -> Checkpoint:
    """A tree head over the whole log, signed if a key is given, stored in the log's store."""
    all_leaves = leaves(store)
    cp = Checkpoint(len(all_leaves), merkle.root(all_leaves).hex(), now)
    if key is not None:
        public = key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        cp = Checkpoint(cp.tree_size, cp.root, cp.created_at, public.hex(),
                        key.sign(_signed_message(cp)).hex())  # fmt: skip
    store.add_checkpoint(cp)
    return cp


def signature_valid(cp: Checkpoint) -> bool:
    if not cp.public_key or not cp.signature:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(cp.public_key)).verify(
            bytes.fromhex(cp.signature), _signed_message(cp)
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def checkpoint_json(cp: Checkpoint) -> dict[str, Any]:
    out: dict[str, Any] = {"tree_size": cp.tree_size, "root": cp.root, "created_at": cp.created_at}
    if cp.signature:
        out.update(public_key=cp.public_key, signature=cp.signature)
    return out


def checkpoint_from_json(data: Any, where: str) -> Checkpoint:
    try:
        return Checkpoint(
            int(data["tree_size"]), str(data["root"]), str(data["created_at"]),
            data.get("public_key"), data.get("signature"),
        )  # fmt: skip
    except (KeyError, TypeError, ValueError):
        raise InputError(f"{where}: not a checkpoint (tree_size, root, created_at)") from None


def inclusion(store: Recorder, event: Event, tree_size: int | None = None) -> dict[str, Any]:
    """An inclusion proof of event in the tree of the first tree_size events (default: all)."""
    all_leaves = leaves(store, tree_size)
    size = len(all_leaves)
    if event.seq > size:
        raise InputError(f"seq {event.seq} is not in a tree of {size} events")
    return {
        "proof": "inclusion",
        "algorithm": PROOF_ALGORITHMS["inclusion"],
        "seq": event.seq,
        "leaf_index": event.seq - 1,
        "event_hash": event.hash,
        "tree_size": size,
        "root": merkle.root(all_leaves).hex(),
        "path": [h.hex() for h in merkle.inclusion_proof(all_leaves, event.seq - 1)],
    }


def consistency(store: Recorder, old: Checkpoint, new_size: int | None = None) -> dict[str, Any]:
    """A consistency proof from an old checkpoint (its root as the holder has it) to now."""
    all_leaves = leaves(store, new_size)
    if old.tree_size > len(all_leaves):
        raise InputError(
            f"the checkpoint covers {old.tree_size} events, the log has {len(all_leaves)}"
        )
    return {
        "proof": "consistency",
        "algorithm": PROOF_ALGORITHMS["consistency"],
        "old_size": old.tree_size,
        "old_root": old.root,
        "new_size": len(all_leaves),
        "new_root": merkle.root(all_leaves).hex(),
        "path": [h.hex() for h in merkle.consistency_proof(all_leaves, old.tree_size)],
    }


def check_proof(doc: Any, where: str) -> bool:
    """Check a proof document as a third party would: no access to the log needed."""
    try:
        path = [bytes.fromhex(h) for h in doc["path"]]
        if doc["proof"] == "inclusion":
            return merkle.verify_inclusion(
                bytes.fromhex(doc["event_hash"]), int(doc["leaf_index"]),
                int(doc["tree_size"]), path, bytes.fromhex(doc["root"]),
            )  # fmt: skip
        if doc["proof"] == "consistency":
            return merkle.verify_consistency(
                int(doc["old_size"]), int(doc["new_size"]), bytes.fromhex(doc["old_root"]),
                bytes.fromhex(doc["new_root"]), path,
            )  # fmt: skip
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(f"{where}: not a proof document ({e})") from None
    raise InputError(f"{where}: unknown proof kind {doc.get('proof')!r}")

