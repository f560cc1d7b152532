"""Integrity: verify the hash chain, write Merkle checkpoints, and prove inclusion and consistency.

A checkpoint is an RFC 6962 Merkle tree head over the event hashes of seq 1..tree_size,
optionally signed with Ed25519 over the canonical JSON of
``{"created_at": …, "root": …, "tree_size": …}``. Proofs are JSON documents that anyone
can check with the algorithms described in ``accords.events.merkle`` (RFC 9162 §2.1.3.2
and §2.1.4.2); ``accords prove --check`` is one implementation of that check.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accords.events.errors import InputError
from accords.events import merkle
from accords.events.canonical import canonical
from accords.events.model import BODY_HEAD, GENESIS, Event, event_hash, event_id, hash_tail, id_tail
from accords.events.processes import usable
from accords.events.store import Checkpoint, Recorder, Row
from accords.events.backends import open_store

if TYPE_CHECKING:  # cryptography is imported where keys are used: ~60 ms off every command
    from multiprocessing.connection import Connection

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

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


def verify(store: Recorder, progress: Callable[[int], None] | None = None, processes: int | None = None) -> Verified:
    """Recompute every id, hash and link; compare stored checkpoints with the log.

    A long log is split into seq ranges checked at once by up to `processes` processes
    (default: the CPUs this process may use); ranges join where each range's first prev
    must equal the stored hash of the event before it, which the range before checks.
    The first range with a problem names it: the ranges before it are whole and good,
    so a scan from seq 1 would stop at the same seq with the same message.
    progress(events checked) is called about every 10,000 events.
    """
    checkpoints = store.checkpoints()
    sizes = frozenset(cp.tree_size for cp in checkpoints)
    ranges = _ranges(store, processes)
    parts = _parallel(store, ranges, sizes, progress) if len(ranges) > 1 else None
    if parts is None:
        parts = [_check(store.read_rows(), 0, GENESIS, sizes, _ticker(progress))]
    events = 0
    for part in parts:
        events += part.events
        if part.problem:  # the parts before are whole and good: a scan from seq 1 stops here too
            return Verified(events, part.last, part.problem)
    tree, roots = merkle.Subtrees(), {0: merkle.EMPTY_ROOT}
    for part in parts:
        for count, node in part.subtrees:
            tree.append(count, node)
            if tree.end in sizes:
                roots[tree.end] = tree.root()
    for cp in checkpoints:
        problem = _check_checkpoint(cp, roots, events)
        if problem:
            return Verified(events, parts[-1].last, problem)
    return Verified(events, parts[-1].last, None)


@dataclass(frozen=True, slots=True)
class _Part:
    """What the check of one seq range found: events checked (up to a problem), the hash
    of its last good event, the problem if any, and the perfect Merkle subtrees over its
    events up to the largest checkpoint, none across a checkpoint's last event: all a
    checkpoint's root needs, a few hashes to send from a child, not one per event."""

    events: int
    last: str
    problem: Problem | None
    subtrees: list[tuple[int, bytes]]


def _check(
    batches: Iterable[list[Row]], seq: int, prev: str, sizes: frozenset[int], tick: Callable[[int], None]
) -> _Part:
    """Check rows that must be seq+1, seq+2, …, the first linking to prev; sizes are
    the checkpoints' tree sizes."""
    start, keep = seq, max(sizes, default=0)
    subtrees: list[tuple[int, bytes]] = []
    tree, leaves = merkle.Subtrees(start), []  # leaves: event hashes not yet in tree
    # Both hashed objects begin with the body (model.BODY_HEAD): hash it once, copy the state.
    head = hashlib.sha256(BODY_HEAD)
    id_tails: dict[str, bytes] = {}
    for rows in batches:
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
            if seq_ != seq or prev_ != prev or of_id.hexdigest() != id_ or of_envelope.hexdigest() != hash_:
                # The same checks again, one by one, to say which failed.
                what = _check_event(row, seq, prev)
                if what:
                    return _Part(seq - 1 - start, prev, Problem(seq, what), [])
            if seq <= keep:
                leaves.append(bytes.fromhex(hash_))  # checked: cheaper than digest()
                if seq in sizes:  # no subtree may cross the last event of a checkpoint
                    tree.extend(leaves)
                    leaves.clear()
                    subtrees += tree.nodes
                    tree = merkle.Subtrees(seq)
            prev = hash_
        tree.extend(leaves)
        leaves.clear()
        tick(seq - start)
    return _Part(seq - start, prev, None, subtrees + tree.nodes)


def _ticker(progress: Callable[[int], None] | None) -> Callable[[int], None]:
    """A tick(events checked) that calls progress(10,000 × n) once n × 10,000 are done."""
    reported = 0

    def tick(done: int) -> None:
        nonlocal reported
        if progress and done // 10000 > reported:
            reported = done // 10000
            progress(reported * 10000)

    return tick


MIN_RANGE = 20_000  # events per process at least: a smaller range gains less than a fork costs


def _ranges(store: Recorder, processes: int | None) -> list[tuple[int | None, int | None]]:
    """Contiguous seq ranges covering the log (open at both ends), one per process."""
    size = store.head().seq
    count = max(1, min(usable(processes), size // MIN_RANGE))
    bounds: list[int | None] = [None, *(size * i // count for i in range(1, count)), None]
    return list(zip(bounds, bounds[1:]))


def _parallel(
    store: Recorder,
    ranges: list[tuple[int | None, int | None]],
    sizes: frozenset[int],
    progress: Callable[[int], None] | None,
) -> list[_Part] | None:
    """Check the first range here and each other in a forked process.

    None if a child failed, or found no event just before its range (the range before
    it then ends early): the caller then scans the log in one process.

    Children open the store anew by its URL: a connection must not cross a fork.
    """
    fork = multiprocessing.get_context("fork")
    done = fork.Array("q", len(ranges), lock=False)  # events checked, per range
    children = []
    for i, (start, stop) in enumerate(ranges[1:], 1):
        receive, send = fork.Pipe(duplex=False)
        child = fork.Process(target=_child, args=(store.url, start, stop, sizes, done, i, send), daemon=True)
        child.start()
        send.close()
        children.append((child, receive))
    tick = _ticker(progress)

    def first(checked: int) -> None:
        done[0] = checked
        tick(sum(done))

    parts = [_check(store.read_rows(None, ranges[0][1]), 0, GENESIS, sizes, first)]
    if parts[0].problem:  # the first problem of the log: what the others find does not matter
        for child, _ in children:
            child.terminate()
            child.join()
        return parts
    for child, receive in children:
        while not receive.poll(0.2):  # progress goes on while the others finish (a part, or EOF)
            tick(sum(done))
        try:
            parts.append(receive.recv())
        except EOFError:  # the child died before sending its part
            parts.append(None)  # type: ignore[arg-type]
        child.join()
    tick(sum(done))
    return None if None in parts else parts


def _child(
    url: str, start: int, stop: int | None, sizes: frozenset[int], done: Any, index: int, send: Connection
) -> None:
    """Check events start+1..stop of the store at url; send the _Part, or None on an error."""
    part: _Part | None = None
    try:
        store = open_store(url)
        before = [row for rows in store.read_rows(start, start) for row in rows]
        if before:
            part = _check(
                store.read_rows(start + 1, stop),
                start,
                before[0][8],
                sizes,
                lambda checked: done.__setitem__(index, checked),
            )
    except Exception:  # any failure: the parent checks the log in one process
        part = None
    send.send(part)
    send.close()


def _check_checkpoint(cp: Checkpoint, roots: dict[int, bytes], events: int) -> Problem | None:
    """Is cp the tree head of the log? roots: the roots of the checkpointed sizes."""
    if cp.tree_size > events:
        return Problem(
            events + 1,
            f"a checkpoint of {cp.created_at} covers {cp.tree_size} events, the log has {events}: events were removed",
        )
    root = roots.get(cp.tree_size)
    if root is None or root.hex() != cp.root:
        return Problem(
            cp.tree_size,
            f"the checkpoint of {cp.created_at} does not match events 1..{cp.tree_size}: history was rewritten",
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
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as e:
        raise InputError(f"{path}: cannot read a PEM private key: {e}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"{path}: not an Ed25519 key", "openssl genpkey -algorithm ed25519 -out key.pem")
    return key


def make_checkpoint(store: Recorder, now: str, key: Ed25519PrivateKey | None = None) -> Checkpoint:
    """A tree head over the whole log, signed if a key is given, stored in the log's store."""
    all_leaves = leaves(store)
    cp = Checkpoint(len(all_leaves), merkle.root(all_leaves).hex(), now)
    if key is not None:
        from cryptography.hazmat.primitives import serialization

        public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        cp = Checkpoint(cp.tree_size, cp.root, cp.created_at, public.hex(), key.sign(_signed_message(cp)).hex())
    store.add_checkpoint(cp)
    return cp


def signature_valid(cp: Checkpoint) -> bool:
    if not cp.public_key or not cp.signature:
        return False
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

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
            int(data["tree_size"]),
            str(data["root"]),
            str(data["created_at"]),
            data.get("public_key"),
            data.get("signature"),
        )
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
        raise InputError(f"the checkpoint covers {old.tree_size} events, the log has {len(all_leaves)}")
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
                bytes.fromhex(doc["event_hash"]),
                int(doc["leaf_index"]),
                int(doc["tree_size"]),
                path,
                bytes.fromhex(doc["root"]),
            )
        if doc["proof"] == "consistency":
            return merkle.verify_consistency(
                int(doc["old_size"]),
                int(doc["new_size"]),
                bytes.fromhex(doc["old_root"]),
                bytes.fromhex(doc["new_root"]),
                path,
            )
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(f"{where}: not a proof document ({e})") from None
    raise InputError(f"{where}: unknown proof kind {doc.get('proof')!r}")
