"""The recorder interface every storage backend implements, and how a store URL is opened."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from accords.events.model import GENESIS, Event, Head

DEFAULT_STORE = "accords.db"
_ID_PREFIX = re.compile(r"[0-9a-f]{4,63}")

# An event as stored, without an Event object: seq, id, type, key, recorded_at,
# recorded_by, body (its UTF-8 bytes), prev, hash.
Row = tuple[int, str, str, str | None, str, str, bytes, str, str]


@dataclass(frozen=True, slots=True)
class Ref:
    """What a reference resolves to: an event's position, id, type and key."""

    seq: int
    id: str
    type: str
    key: str | None


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A Merkle tree head over the first tree_size event hashes, optionally signed."""

    tree_size: int
    root: str
    created_at: str
    public_key: str | None = None
    signature: str | None = None


class Transaction(Protocol):
    """An exclusive write transaction: the only way events enter a store."""

    def head(self) -> Head: ...

    def lookup(self, ref: str) -> list[Ref]: ...

    def matching(self, names: Sequence[str]) -> list[Ref]:
        """The events whose id or key is one of names (exact, no prefixes): one query."""
        ...

    def insert(self, events: Sequence[Event]) -> None: ...

    def keep_capture(self, sha256: str, data: bytes) -> None:
        """Keep a capture's bytes by their SHA-256 (kept already: nothing changes)."""
        ...

    def person_keys(self, persons: list[str]) -> dict[str, bytes | None]:
        """The keys held of those persons (None: erased); a person with none held is absent."""
        ...

    def keep_person_keys(self, keys: list[tuple[str, bytes]]) -> None: ...

    def erase_person_key(self, person: str) -> None:
        """Set the person's key to NULL (a row with no key: erased, never to be made again)."""
        ...


class Recorder(Protocol):
    """An append-only event store. Appends are serialised; UPDATE and DELETE are refused."""

    url: str

    def writing(self, commit: bool = True) -> AbstractContextManager[Transaction]:
        """An exclusive write transaction, committed at the end (rolled back without commit)."""
        ...

    def head(self) -> Head: ...

    def lookup(self, ref: str) -> list[Ref]: ...

    def read(self, start: int = 1, stop: int | None = None) -> Iterator[Event]: ...

    def read_rows(self, start: int | None = None, stop: int | None = None) -> Iterator[list[Row]]:
        """The events with start <= seq <= stop (None: no bound) as Rows, in seq order,
        a list of rows at a time: for scans of the log (verify) that need no Event objects."""
        ...

    def signing_events(self) -> Iterator[Event]:
        """The events of keys and signatures (SIGNING), in seq order, by their index."""
        ...

    def captured_events(self) -> Iterator[Event]:
        """The SourceCaptured events, in seq order, by their index (CAPTURED_INDEX)."""
        ...

    def capture(self, sha256: str) -> bytes | None:
        """The bytes kept by that SHA-256 (events/captures.py), None if none are."""
        ...

    def person_keys(self) -> dict[str, bytes | None]:
        """Every person key held (events/personal.py), None for those erased."""
        ...

    def scrub(self) -> None:
        """Rid the store's files of what an erasure overwrote (its old pages); StoreError if
        another process keeps them for now."""
        ...

    def seq_at(self, moment: str) -> int: ...

    def add_checkpoint(self, checkpoint: Checkpoint) -> None: ...

    def checkpoints(self) -> list[Checkpoint]: ...

    def close(self) -> None: ...


# The few events of keys and signatures (events/signatures.py): every append reads them, by a
# partial index (a query names the same condition to use it), not by reading the log. Each
# write transaction makes the index if a store made before it lacks it.
SIGNING = ("KeyRegistered", "KeyRevoked", "SignaturesRequired", "EventsSigned")
SIGNING_IN = "type IN (" + ", ".join(f"'{t}'" for t in SIGNING) + ")"
SIGNING_INDEX = f"CREATE INDEX IF NOT EXISTS events_signing ON events (seq) WHERE {SIGNING_IN}"
# The captures (events/captures.py), which verify reads: by a partial index as well.
CAPTURED_IN = "type = 'SourceCaptured'"
CAPTURED_INDEX = f"CREATE INDEX IF NOT EXISTS events_captured ON events (seq) WHERE {CAPTURED_IN}"

# The first of the events lo <= seq <= hi (just inserted, in the inserting transaction)
# whose prev is not the hash of the event before it (GENESIS before seq 1): a chunk that
# does not extend the chain is refused whole. One query a chunk, where a row trigger would
# check each row (and on SQLite halve the rate of inserts). Placeholders are ?.
UNLINKED = f"""
SELECT e.seq FROM events e LEFT JOIN events p ON p.seq = e.seq - 1
WHERE e.seq >= ? AND e.seq <= ?
  AND e.prev <> COALESCE(p.hash, CASE WHEN e.seq = 1 THEN '{GENESIS}' ELSE '' END)
ORDER BY e.seq LIMIT 1
"""


def unlinked_message(seq: int) -> str:
    return f"an event must extend the chain (seq {seq} does not follow the event before it)"


def lookup_clause(ref: str) -> tuple[str, tuple[str, ...]]:
    """SQL condition (with ? placeholders) matching a key, a full id or a hex id prefix."""
    if _ID_PREFIX.fullmatch(ref):
        return "key = ? OR (id >= ? AND id < ?)", (ref, ref, ref + "g")
    return "key = ? OR id = ?", (ref, ref)


def store_url(given: str | None) -> str:
    """The store named by --store, else ACCORDS_STORE, else ./accords.db."""
    return given or os.environ.get("ACCORDS_STORE") or DEFAULT_STORE
