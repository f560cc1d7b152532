"""The event envelope, its content address and its chain hash."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import orjson

from accords.events.canonical import json_string, sha256_hex

GENESIS = "0" * 64

EVENT_TYPES = (
    "SourceRegistered",
    "ClaimRecorded",
    "ClaimRetracted",
    "ClaimCorrected",
    "SourceCorrected",
    "EntitiesMerged",
    "MergeUndone",
    "ClaimReviewed",
)


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


def event_id(type_: str, body: bytes) -> str:
    """Content address: SHA-256 of the canonical ``{"body": …, "type": …}``."""
    return sha256_hex(b'{"body":' + body + b',"type":' + json_string(type_) + b"}")


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
    """SHA-256 of the canonical envelope without ``hash``.

    Built by concatenation in JCS key order; ``body`` is canonical already, the rest
    are strings and one integer, so this is byte-identical to canonicalising the
    envelope object (a test holds it to rfc8785).
    """
    parts = [b'{"body":', body, b',"id":"', id_.encode(), b'"']
    if key is not None:
        parts += [b',"key":', json_string(key)]
    parts += [
        b',"prev":"', prev.encode(),
        b'","recorded_at":', json_string(recorded_at),
        b',"recorded_by":', json_string(recorded_by),
        b',"seq":', str(seq).encode(),
        b',"type":', json_string(type_), b"}",
    ]  # fmt: skip
    return sha256_hex(b"".join(parts))


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
