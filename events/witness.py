"""The witness: the newest head this user has seen of each log, kept outside the store.

A log's checkpoints live in the store, so whoever can delete events can delete them too:
a log cut short, or re-chained from some seq on, verifies by itself. The witness is kept
where the store is not, like SSH's known_hosts: one JSON file per user
($ACCORDS_WITNESS, else $XDG_STATE_HOME/accords/witness.json, else
~/.local/state/accords/witness.json), naming each log by where it is (a SQLite file's
absolute path, a PostgreSQL URL without its password) with the seq and hash of the newest
head seen, and when. Each write and each verify moves it forward; verify then finds a log
that does not extend it. The head's hash commits to every event before it (each hash
holds the one before), so the check is one lookup.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson

from accords.events.model import Head
from accords.events.store import Recorder


@dataclass(frozen=True, slots=True)
class Seen:
    seq: int
    hash: str
    when: str


def location() -> Path:
    """Where the witness file is."""
    if os.environ.get("ACCORDS_WITNESS"):
        return Path(os.environ["ACCORDS_WITNESS"])
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "accords" / "witness.json"


def identity(url: str) -> str:
    """A log by where it is: a SQLite file's absolute path, a PostgreSQL URL without password."""
    if url.startswith(("postgresql://", "postgres://")):
        parts = urlsplit(url)
        host = parts.hostname or ""
        netloc = (f"{parts.username}@" if parts.username else "") + host + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return str(Path(url).resolve())


@contextmanager
def _held() -> Iterator[dict[str, Any]]:
    """The witness's entries, under its lock, written back (whole, then renamed) on exit."""
    path = location()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(str(path) + ".lock", "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        entries = orjson.loads(path.read_bytes()) if path.exists() and path.stat().st_size else {}
        before = dict(entries)
        yield entries
        if entries != before:
            fresh = path.with_suffix(".tmp")
            fresh.write_bytes(orjson.dumps(entries, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
            os.replace(fresh, path)


def seen(recorder: Recorder) -> Seen | None:
    """The newest head of this log the witness holds, if any."""
    with _held() as entries:
        found = entries.get(identity(recorder.url))
    return Seen(found["seq"], found["hash"], found["when"]) if found else None


def missing(recorder: Recorder, head: Head) -> tuple[int, str] | None:
    """Where and what this log (whose head is head) lacks of what the witness saw, or None."""
    return _lacks(recorder, head, seen(recorder))


def _lacks(recorder: Recorder, head: Head, last: Seen | None) -> tuple[int, str] | None:
    if last is None or last.seq == 0:
        return None
    if head.seq < last.seq:
        return head.seq + 1, (
            f"the log ends at seq {head.seq}, but this user saw it at seq {last.seq} ({last.hash[:12]}) on"
            f" {last.when}: seq {head.seq + 1}-{last.seq} went missing"
        )
    event = next(recorder.read(last.seq, last.seq), None)
    if event is None or event.hash != last.hash:
        return last.seq, (
            f"seq {last.seq} is not the event this user saw there on {last.when} ({last.hash[:12]}):"
            f" the log was rewritten at or before seq {last.seq}"
        )
    return None


def remember(recorder: Recorder, head: Head) -> bool:
    """Move the witness of this log to head if head extends what it saw (True); leave it
    as it is otherwise (False), so that verify finds what went missing."""
    with _held() as entries:  # read once, and written under the same lock
        key = identity(recorder.url)
        found = entries.get(key)
        last = Seen(found["seq"], found["hash"], found["when"]) if found else None
        if _lacks(recorder, head, last) is not None:
            return False
        if head.seq >= (last.seq if last else 0):
            when = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            entries[key] = {"seq": head.seq, "hash": head.hash, "when": when}
    return True


def forget(recorder: Recorder) -> Seen | None:
    """Drop what was seen of the log at this place (a new log made where one was), and say what it was."""
    with _held() as entries:
        gone = entries.pop(identity(recorder.url), None)
    return Seen(gone["seq"], gone["hash"], gone["when"]) if gone else None
