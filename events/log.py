"""The log: checks, chains and appends events to a recorder, and reads them back."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from accords.errors import ConflictError, InputError
from accords.events.canonical import canonical
from accords.events.model import Event, Head, event_hash, event_id, parse_timestamp, timestamp
from accords.events.schema import normalize_body
from accords.events.store import Recorder, Ref, Transaction

FLUSH_EVERY = 1000
_ID_LIKE = re.compile(r"^[0-9a-f]{4,64}$")
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True, slots=True)
class Draft:
    """An event as a user writes it: type, optional key, body; where it came from.

    recorded_at and recorded_by are set only when re-importing an exported log.
    """

    type: str
    body: Any
    key: str | None = None
    recorded_at: str | None = None
    recorded_by: str | None = None
    where: str = ""


@dataclass(frozen=True, slots=True)
class Appended:
    """What an append did: how many events were new, how many were already recorded."""

    added: int
    existing: int
    head: Head
    last: Ref | None


def default_recorder_name() -> str:
    return os.environ.get("ACCORDS_USER") or getpass.getuser()


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class _Batch:
    """The events of one append not yet flushed to the transaction, for reference lookups."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx
        self.events: list[Event] = []
        self.index: dict[str, Ref] = {}
        # Events already stored never change: remember them, saving a round trip per
        # reference when thousands of claims cite one source.
        self.stored: dict[str, list[Ref]] = {}

    def add(self, event: Event) -> None:
        self.events.append(event)
        ref = Ref(event.seq, event.id, event.type, event.key)
        self.index[event.id] = ref
        if event.key is not None:
            self.index[event.key] = ref

    def lookup(self, ref: str) -> list[Ref]:
        if ref in self.index:
            found = [self.index[ref]]
        elif len(ref) < 64 and _ID_LIKE.match(ref):
            found = [r for r in self.index.values() if r.id.startswith(ref)]
        else:
            found = []
        stored = self.stored.get(ref)
        if stored is None:
            stored = self.tx.lookup(ref)
            if stored and len(self.stored) < 100_000:
                self.stored[ref] = stored
        return found + stored

    def resolve(self, ref: str, types: tuple[str, ...]) -> str:
        found = self.lookup(ref)
        exact = [r for r in found if r.key == ref or r.id == ref]
        found = exact or found
        if not found:
            raise InputError(f"unknown reference {ref!r}", "refer to an earlier event by key or id")
        if len({r.id for r in found}) > 1:
            raise InputError(f"reference {ref!r} is ambiguous", "give more characters of the id")
        if types and found[0].type not in types:
            raise InputError(
                f"{ref!r} is a {found[0].type}, expected {' or '.join(types)}"
            )
        return found[0].id

    def flush(self) -> None:
        if self.events:
            self.tx.insert(self.events)
            self.events.clear()
            self.index.clear()


class Log:
    """The append-only, hash-chained event log over one recorder."""

    def __init__(self, store: Recorder, recorded_by: str | None = None, clock: Clock = _utc_now):
        self.store = store
        self.recorded_by = recorded_by or default_recorder_name()
        self.clock = clock

    def append(
        self,
        drafts: Iterable[Draft],
        expected_head: str | None = None,
        on_event: Callable[[Event | Ref, bool], None] | None = None,
    ) -> Appended:
        """Append drafts in one transaction: all of them, or none and an InputError."""
        added = existing = 0
        last: Ref | None = None
        with self.store.writing() as tx:
            head = tx.head()
            check_expected_head(head, expected_head)
            batch = _Batch(tx)
            for draft in drafts:
                try:
                    event = self._chain(draft, head, batch)
                except InputError as e:
                    raise e.at(draft.where) if draft.where else e
                if isinstance(event, Ref):
                    existing += 1
                    last = event
                    if on_event:
                        on_event(event, False)
                    continue
                batch.add(event)
                head = Head(event.seq, event.hash, event.recorded_at)
                added += 1
                last = Ref(event.seq, event.id, event.type, event.key)
                if on_event:
                    on_event(event, True)
                if len(batch.events) >= FLUSH_EVERY:
                    batch.flush()
            batch.flush()
        return Appended(added, existing, head, last)

    def _chain(self, draft: Draft, head: Head, batch: _Batch) -> Event | Ref:
        """The next event for draft, or the Ref of the identical event already recorded."""
        if not isinstance(draft.type, str):
            raise InputError("type: expected the name of an event type")
        body = canonical(normalize_body(draft.type, draft.body, batch.resolve))
        id_ = event_id(draft.type, body)
        same = [r for r in batch.lookup(id_) if r.id == id_]
        if same:
            if draft.key is not None and same[0].key != draft.key:
                raise InputError(
                    f"key: this event is already recorded as seq {same[0].seq}"
                    f" with key {same[0].key!r}",
                    "use that key, or leave the key out",
                )
            return same[0]
        if draft.key is not None:
            check_key(draft.key)
            if any(r.key == draft.key for r in batch.lookup(draft.key)):
                raise InputError(f"key: {draft.key!r} is already used by another event")
        recorded_at = self._recorded_at(draft, head)
        recorded_by = draft.recorded_by or self.recorded_by
        seq = head.seq + 1
        hash_ = event_hash(seq, id_, draft.type, draft.key, recorded_at, recorded_by, body, head.hash)
        return Event(seq, id_, draft.type, draft.key, recorded_at, recorded_by, body, head.hash, hash_)

    def _recorded_at(self, draft: Draft, head: Head) -> str:
        if draft.recorded_at is None:
            # Record time never runs backwards, so `--as-of TIME` is one seq.
            return max(timestamp(self.clock()), head.recorded_at)
        try:
            given = timestamp(parse_timestamp(draft.recorded_at))
        except (TypeError, ValueError):
            raise InputError(f"recorded_at: {draft.recorded_at!r} is not an ISO 8601 time") from None
        if given < head.recorded_at:
            raise InputError(f"recorded_at: {given} is earlier than the head's {head.recorded_at}")
        return given

    def find(self, ref: str) -> Event:
        """The event a key, id or unambiguous id prefix names; InputError otherwise."""
        found = self.store.lookup(ref)
        exact = [r for r in found if r.key == ref or r.id == ref]
        found = exact or found
        if not found:
            raise InputError(f"no event {ref!r} in {self.store.url}")
        if len(found) > 1:
            raise InputError(f"{ref!r} is ambiguous", "give more characters of the id")
        return next(self.store.read(found[0].seq, found[0].seq))

    def read(self, start: int = 1, stop: int | None = None) -> Iterator[Event]:
        return self.store.read(start, stop)


def check_key(key: str) -> None:
    if not isinstance(key, str) or not _KEY.match(key):
        raise InputError(
            f"key: {key!r} is not a valid key",
            "letters, digits and . _ : / -, starting with a letter or digit, at most 128",
        )
    if _ID_LIKE.match(key):
        raise InputError(f"key: {key!r} looks like an event id", "use a word such as src-bbc-2025")


def check_expected_head(head: Head, expected: str | None) -> None:
    """ConflictError unless expected (a hash or hash prefix, or 0 for empty) is the head."""
    if expected is None:
        return
    if expected in ("0", "empty") and head.empty:
        return
    if len(expected) >= 4 and not head.empty and head.hash.startswith(expected):
        return
    raise ConflictError(
        f"expected head {expected!r}, but the log head is seq {head.seq} ({head.hash[:12]})",
        "someone appended meanwhile: read the new events, then retry with the new head",
    )
