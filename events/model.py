"""The event envelope, its content address and its chain hash."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import orjson

from accords.events.canonical import json_string, sha256_hex

Statement = dict[str, Any] | list[dict[str, Any]]
"""A claim's statement: one node, or a list of nodes when one quote states several facts."""

GENESIS = "0" * 64

MAX_EVENT = 1 << 20
"""The most bytes one event may take: a line of JSONL, a file of one event, a canonical body."""
TOO_BIG = "an event records a quote, not the page: the page stays where it is published (url, content_hash)"


@dataclass(frozen=True, slots=True)
class Head:
    """A state of the log: its last seq and hash (seq 0 and the genesis hash when empty)."""

    seq: int
    hash: str
    recorded_at: str = ""

    @property
    def empty(self) -> bool:
        return self.seq == 0


EMPTY = Head(0, GENESIS)


COLUMNS = "seq, id, type, key, recorded_at, recorded_by, body, prev, hash"
"""An event's columns in both stores, in the order of `Event.row`."""


@dataclass(frozen=True, slots=True)
class Event:
    """One stored event. ``body`` is its RFC 8785 canonical JSON, exactly as hashed."""

    seq: int
    id: str
    type: str
    key: str | None
    recorded_at: str
    recorded_by: str
    body: bytes
    prev: str
    hash: str

    def row(self) -> tuple[int, str, str, str | None, str, str, str, str, str]:
        """The event as a row of COLUMNS, the body as text."""
        return (
            self.seq,
            self.id,
            self.type,
            self.key,
            self.recorded_at,
            self.recorded_by,
            self.body.decode(),
            self.prev,
            self.hash,
        )

    def data(self) -> dict[str, Any]:
        """The body as a JSON object."""
        value: dict[str, Any] = orjson.loads(self.body)
        return value

    def envelope(self) -> dict[str, Any]:
        """The whole event as JSON, as `export` writes it and `import` reads it back."""
        out: dict[str, Any] = {
            "seq": self.seq,
            "id": self.id,
            "type": self.type,
        }
        if self.key is not None:
            out["key"] = self.key
        out.update(
            recorded_at=self.recorded_at,
            recorded_by=self.recorded_by,
            body=self.data(),
            prev=self.prev,
            hash=self.hash,
        )
        return out


# JCS sorts "body" first in both hashed objects, so both begin with the body: verify
# hashes it once and copies the hash state (see accords.events.integrity).
BODY_HEAD = b'{"body":'


def id_tail(type_: str) -> bytes:
    """What follows the body in the object whose SHA-256 is the event id."""
    return f',"type":{json_string(type_)}}}'.encode()


def hash_tail(seq: int, id_: str, type_: str, key: str | None, recorded_at: str, recorded_by: str, prev: str) -> bytes:
    """What follows the body in the canonical envelope without ``hash``.

    Written in JCS key order; the rest are strings and one integer, so with the canonical
    body this is byte-identical to canonicalising the envelope object (a test holds it
    to rfc8785).
    """
    keyed = "" if key is None else f',"key":{json_string(key)}'
    return (
        f',"id":"{id_}"{keyed},"prev":"{prev}","recorded_at":{json_string(recorded_at)}'
        f',"recorded_by":{json_string(recorded_by)},"seq":{seq},"type":{json_string(type_)}}}'
    ).encode()


def event_id(type_: str, body: bytes) -> str:
    """Content address: SHA-256 of the canonical ``{"body": …, "type": …}``."""
    return sha256_hex(BODY_HEAD + body + id_tail(type_))


def event_hash(
    seq: int,
    id_: str,
    type_: str,
    key: str | None,
    recorded_at: str,
    recorded_by: str,
    body: bytes,
    prev: str,
) -> str:
    """SHA-256 of the canonical envelope without ``hash``."""
    return sha256_hex(BODY_HEAD + body + hash_tail(seq, id_, type_, key, recorded_at, recorded_by, prev))


def timestamp(moment: dt.datetime) -> str:
    """Record time as fixed-width UTC ISO 8601 with microseconds, so text order is time order."""
    # isoformat, not strftime: the same text for years 1000-9999, several times faster.
    return moment.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_timestamp(text: str) -> dt.datetime:
    """Read a record time written by `timestamp` (or any ISO 8601 with a zone)."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return moment
