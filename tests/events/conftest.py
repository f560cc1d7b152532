"""What the event tests share: a log written without the checks of Log.append."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accords.events import integrity
from accords.events.canonical import canonical
from accords.events.model import GENESIS, Event, event_hash, event_id
from accords.events.backends import open_store


def _write_log(url: str, size: int, checkpoint: int | None = None) -> None:
    """size sources written straight into the store at url (fast: no body is checked),
    and a checkpoint over the first `checkpoint` of them if given."""
    at, by, kind = "2025-06-01T00:00:00.000000Z", "tester", "SourceRegistered"
    prev, events = GENESIS, []
    for seq in range(1, size + 1):
        body = canonical({"title": f"officials said, report {seq}", "kind": "news"})
        id_ = event_id(kind, body)
        hash_ = event_hash(seq, id_, kind, None, at, by, body, prev)
        events.append(Event(seq, id_, kind, None, at, by, body, prev, hash_))
        prev = hash_
    store = open_store(url)
    cut = size if checkpoint is None else checkpoint
    for batch in (events[:cut], events[cut:]):
        with store.writing() as tx:
            tx.insert(batch)
        if batch and batch[-1].seq == checkpoint:
            integrity.make_checkpoint(store, at)
    store.close()


@pytest.fixture
def write_log() -> Callable[..., None]:
    return _write_log
