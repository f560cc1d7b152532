"""The log: checks, chains and appends events to a recorder, and reads them back."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from accords.events.errors import ConflictError, InputError
from accords.events.canonical import canonical, check_text
from accords.events.model import MAX_EVENT, TOO_BIG, Event, Head, event_hash, event_id, parse_timestamp, timestamp
from accords.events.schema import Normalize, normalize_body, normalize_statement, references
from accords.events.personal import Keyring
from accords.events.signatures import Ledger, Signer, fingerprint
from accords.events.statement_workers import checked_ahead
from accords.events import witness
from accords.events.store import SIGNING, Recorder, Ref, Transaction

CHUNK = 1000  # drafts checked, looked up and inserted together
SKEW = dt.timedelta(minutes=5)  # how far a record time a file gives may run ahead of this clock
_ID_LIKE = re.compile(r"^[0-9a-f]{4,64}$")
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True, slots=True)
class Draft:
    """An event as a user writes it: type, optional key, body; where it came from.

    recorded_at and recorded_by are set only when re-importing an exported log; chain is
    the seq, prev and hash such a line gives, which the log checks against its own; keys
    the person keys it carries (events/personal.py).
    """

    type: str
    body: Any
    key: str | None = None
    recorded_at: str | None = None
    recorded_by: str | None = None
    where: str = ""
    chain: tuple[int, str, str] | None = None
    keys: Any = None


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


class _References:
    """What the references of one append resolve to: its pending events, then the store."""

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx
        self.pending: dict[str, Ref] = {}  # events of the current chunk, by id and by key
        self.stored: dict[str, list[Ref]] = {}  # stored events the current chunk refers to

    def add(self, ref: Ref) -> None:
        self.pending[ref.id] = ref
        if ref.key is not None:
            self.pending[ref.key] = ref

    def remember(self, refs: Iterable[Ref]) -> None:
        for ref in refs:
            self.stored[ref.id] = [ref]
            if ref.key is not None:
                self.stored[ref.key] = [ref]

    def preload(self, chunk: list[Draft]) -> None:
        """Look up the references of a chunk's drafts in one query, not one each.

        Only this chunk's are kept: memory stays flat however long the import.
        """
        self.stored.clear()
        names = {name for d in chunk if isinstance(d.type, str) for name in references(d.type, d.body)}
        if names:
            self.remember(self.tx.matching(sorted(names)))

    def lookup(self, ref: str) -> list[Ref]:
        if ref in self.pending:
            # Keys are unique and never look like ids: the store holds no other match.
            return [self.pending[ref]]
        found = []
        if len(ref) < 64 and _ID_LIKE.match(ref):
            found = [r for r in self.pending.values() if r.id.startswith(ref)]
        stored = self.stored.get(ref)
        if stored is None:
            stored = self.tx.lookup(ref)
            self.remember(r for r in stored if ref in (r.id, r.key))
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
            raise InputError(f"{ref!r} is a {found[0].type}, expected {' or '.join(types)}")
        return found[0].id


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A draft with its body checked, references resolved and canonicalised, and its id."""

    draft: Draft
    body: bytes
    id: str


def _chunks(drafts: Iterable[Draft]) -> Iterator[list[Draft]]:
    it = iter(drafts)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


class Log:
    """The append-only, hash-chained event log over one recorder."""

    def __init__(
        self, store: Recorder, recorded_by: str | None = None, clock: Clock = _utc_now, signer: Signer | None = None
    ):
        self.store = store
        self.recorded_by = recorded_by or default_recorder_name()
        self.clock = clock
        self.signer = signer  # signs each append (events/signatures.py)

    def append(
        self,
        drafts: Iterable[Draft],
        expected_head: str | None = None,
        on_event: Callable[[Event | Ref, bool], None] | None = None,
        processes: int | None = None,
        commit: bool = True,
        captures: Mapping[str, bytes] | None = None,
    ) -> Appended:
        """Append drafts in one transaction: all of them, or none and an InputError; with
        the bytes of captures (by their SHA-256) kept in the same transaction.

        Drafts are read and written a chunk at a time: each chunk's bodies are checked
        first, then one query finds which of its ids and keys are already recorded.
        Without commit, everything is done and then rolled back: what an append would do.
        """
        added = existing = 0
        last: Ref | None = None
        with self.store.writing(commit) as tx:
            head = tx.head()
            check_expected_head(head, expected_head)
            first = head.seq + 1
            ledger = Ledger.read(self.store)
            registered = ledger.key_of(self.signer.public) if self.signer else None
            by = registered.name if registered else self.recorded_by  # a signed append: under its key's name
            refs = _References(tx)
            keyring = Keyring(tx)
            for chunk, statements in checked_ahead(_chunks(drafts), processes):
                prepared, error = self._prepare(chunk, statements, refs, keyring)
                keys = [p.draft.key for p in prepared if isinstance(p.draft.key, str)]
                known = tx.matching([p.id for p in prepared] + keys)
                by_id = {r.id: r for r in known}
                by_key = {r.key: r for r in known if r.key is not None}
                new: list[Event] = []
                for p in prepared:
                    try:
                        event = self._chain(p, head, by_id, by_key, by)
                    except InputError as e:
                        raise e.at(p.draft.where) if p.draft.where else e
                    if isinstance(event, Ref):
                        existing += 1
                        last = event
                        if on_event:
                            on_event(event, False)
                        continue
                    new.append(event)
                    if event.type in SIGNING:
                        ledger.extend([event])
                    elif event.type == "PersonErased":
                        keyring.erase(event.data()["person"])
                    head = Head(event.seq, event.hash, event.recorded_at)
                    added += 1
                    last = by_id[event.id] = Ref(event.seq, event.id, event.type, event.key)
                    if event.key is not None:
                        by_key[event.key] = last
                    if on_event:
                        on_event(event, True)
                keyring.flush()
                tx.insert(new)
                refs.pending.clear()
                if error is not None:
                    raise error
            for sha256, data in (captures or {}).items():
                tx.keep_capture(sha256, data)
            if added and self.signer is not None:
                head = self._seal(self.signer, ledger, first, head, refs, tx)
            if added:
                _check_signed(ledger, self.store, first, head.seq)
        if commit and added:
            witness.remember(self.store, head)  # what this user has seen of the log: verify holds it to it
        return Appended(added, existing, head, last)

    def _prepare(
        self, chunk: list[Draft], statements: list[Normalize], refs: _References, keyring: Keyring
    ) -> tuple[list[_Prepared], InputError | None]:
        """The chunk's drafts prepared, up to the first that is wrong, and its error.

        statements[i] normalises the statement of chunk[i] (or gives its outcome).
        """
        prepared: list[_Prepared] = []
        refs.preload(chunk)
        keyring.preload(d.body for d in chunk)
        for draft, statement in zip(chunk, statements):
            try:
                if not isinstance(draft.type, str):
                    raise InputError("type: expected the name of an event type")
                if draft.keys is not None:
                    keyring.offer_all(draft.keys, draft.body)
                body = canonical(normalize_body(draft.type, draft.body, refs.resolve, statement, keyring))
                if len(body) > MAX_EVENT:
                    raise InputError(
                        f"body: {len(body):,} bytes, more than the {MAX_EVENT:,} an event may hold", TOO_BIG
                    )
            except InputError as e:
                return prepared, e.at(draft.where) if draft.where else e
            id_ = event_id(draft.type, body)
            prepared.append(_Prepared(draft, body, id_))
            refs.add(Ref(0, id_, draft.type, draft.key))
        return prepared, None

    def _seal(self, signer: Signer, ledger: Ledger, first: int, head: Head, refs: _References, tx: Transaction) -> Head:
        """Append the EventsSigned event that seals events first..head with signer's key; the new head."""
        key = ledger.key_of(signer.public)
        if key is None:
            raise InputError(
                f"the signing key {fingerprint(signer.public)} is not registered in this log",
                "register it first: accords key register NAME PUBLIC.pem (or make one: accords key new NAME)",
            )
        if key.revoked is not None and key.revoked < first:  # a key may sign its own revocation
            raise InputError(f"the signing key of {key} was revoked at seq {key.revoked}", "sign with another key")
        draft = Draft("EventsSigned", signer.seal(key.id, first, head.seq, head.hash))
        prepared, error = self._prepare([draft], [normalize_statement], refs, Keyring(tx))
        if error is not None:
            raise error
        event = self._chain(prepared[0], head, {}, {}, key.name)
        assert isinstance(event, Event)
        tx.insert([event])
        ledger.extend([event])
        return Head(event.seq, event.hash, event.recorded_at)

    def _chain(self, p: _Prepared, head: Head, by_id: dict[str, Ref], by_key: dict[str, Ref], by: str) -> Event | Ref:
        """The next event for p, or the Ref of the identical event already recorded."""
        draft = p.draft
        same = by_id.get(p.id)
        if same is not None:
            if draft.chain is not None and draft.chain[0] != same.seq:
                raise InputError(f"seq: the file says {draft.chain[0]}, the log holds this event as seq {same.seq}")
            if draft.key is not None and same.key != draft.key:
                raise InputError(
                    f"key: this event is already recorded as seq {same.seq} with key {same.key!r}",
                    "use that key, or leave the key out",
                )
            return same
        if draft.key is not None:
            check_key(draft.key)
            if draft.key in by_key:
                raise InputError(f"key: {draft.key!r} is already used by another event")
        recorded_at = self._recorded_at(draft, head)
        recorded_by = draft.recorded_by or by
        check_text(recorded_by, "recorded_by")
        seq = head.seq + 1
        hash_ = event_hash(seq, p.id, draft.type, draft.key, recorded_at, recorded_by, p.body, head.hash)
        if draft.chain is not None:
            for name, given, computed in zip(("seq", "prev", "hash"), draft.chain, (seq, head.hash, hash_)):
                if given != computed:
                    raise InputError(
                        f"{name}: the file says {given}, the log computes {computed} for this event",
                        "a line of another log, or altered: leave out seq, prev, hash, recorded_at and recorded_by"
                        " to record its event anew",
                    )
        return Event(seq, p.id, draft.type, draft.key, recorded_at, recorded_by, p.body, head.hash, hash_)

    def _recorded_at(self, draft: Draft, head: Head) -> str:
        if draft.recorded_at is None:
            # Record time never runs backwards, so `--as-of TIME` is one seq.
            return max(timestamp(self.clock()), head.recorded_at)
        if not isinstance(draft.recorded_at, str):
            raise InputError(f"recorded_at: expected an ISO 8601 time, got {type(draft.recorded_at).__name__}")
        try:
            given = timestamp(parse_timestamp(draft.recorded_at))
        except (TypeError, ValueError):
            raise InputError(f"recorded_at: {draft.recorded_at!r} is not an ISO 8601 time") from None
        if given < head.recorded_at:
            raise InputError(f"recorded_at: {given} is earlier than the head's {head.recorded_at}")
        latest = timestamp(self.clock() + SKEW)
        if given > latest:
            raise InputError(
                f"recorded_at: {given} is later than now, by more than the {SKEW.seconds // 60} minutes"
                " two clocks may differ by",
                "record time is when the log recorded it: leave recorded_at out",
            )
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


def _check_signed(ledger: Ledger, store: Recorder, first: int, last: int) -> None:
    """Refuse an append (seq first..last) holding a seal that does not hold, or leaving an
    event unsigned that the log requires to be signed."""
    for seal in ledger.seals:
        if seal.seq >= first and (wrong := ledger.wrong(seal, store)) is not None:
            raise InputError(f"seq {seal.seq}: EventsSigned: {wrong}")
    if ledger.required is not None:
        for _, gap_last in ledger.unsigned(last):
            if gap_last >= max(first, ledger.required):
                raise InputError(
                    f"this log requires signatures since seq {ledger.required} (SignaturesRequired):"
                    " the append would leave events unsigned",
                    "sign it: --sign KEY.pem, or $ACCORDS_SIGNING_KEY",
                )


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
    expected = expected.lower()
    if expected not in ("0", "empty") and not _ID_LIKE.match(expected):
        raise InputError(
            f"expected_head: {expected!r} is not a hash or a prefix of one",
            "4 to 64 lowercase hex characters, as verify prints the head; 0 for an empty log",
        )
    if expected in ("0", "empty") and head.empty:
        return
    if len(expected) >= 4 and not head.empty and head.hash.startswith(expected):
        return
    raise ConflictError(
        f"expected head {expected!r}, but the log head is seq {head.seq} ({head.hash[:12]})",
        "someone appended meanwhile: read the new events, then retry with the new head",
    )
