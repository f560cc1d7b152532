"""The recorder contract, run against every backend: SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accords.events.errors import ConflictError, InputError
from accords.events.log import CHUNK, Draft, Log
from accords.events.model import GENESIS, Event
from accords.events.backends import open_store

DATA = Path(__file__).parent / "data"


def source(key: str, title: str = "A report") -> Draft:
    return Draft("SourceRegistered", {"title": title, "kind": "news", "publisher": "P", "published": "2025-06"}, key)


def claim(key: str, src: str, quote: str = "they agreed") -> Draft:
    return Draft(
        "ClaimRecorded",
        {
            "source": src,
            "quote": quote,
            "attributed_to": "officials",
            "certainty": "reported",
            "statement": {"@type": "Stance", "state": "state/PE", "position": "resisting"},
        },
        key,
    )


def raw(url: str, sql: str) -> None:
    """Run SQL directly, as someone with database access would."""
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:
            db.execute(sql.replace("?", "%s"))
    else:
        import sqlite3

        db = sqlite3.connect(url)
        try:
            db.execute(sql)
            db.commit()
        finally:
            db.close()


def test_append_read_and_head(store_url: str) -> None:
    log = Log(open_store(store_url), "tester")
    done = log.append([source("s1"), claim("c1", "s1"), claim("c2", "s1", "no")])
    assert (done.added, done.existing, done.head.seq) == (3, 0, 3)
    events = list(log.read())
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev == GENESIS
    assert all(b.prev == a.hash for a, b in zip(events, events[1:]))
    assert log.store.head().hash == events[-1].hash
    # references are stored as full ids
    assert events[1].data()["source"] == events[0].id


def test_append_is_idempotent_by_id(store_url: str) -> None:
    log = Log(open_store(store_url), "tester")
    log.append([source("s1"), claim("c1", "s1")])
    head = log.store.head()
    again = log.append([source("s1"), claim("c1", "s1"), Draft(claim("x", "s1").type, claim("x", "s1").body)])
    assert (again.added, again.existing) == (0, 3)
    assert log.store.head() == head


def test_same_content_with_another_key_is_refused(store_url: str) -> None:
    log = Log(open_store(store_url), "tester")
    log.append([source("s1")])
    with pytest.raises(InputError, match="already recorded as seq 1"):
        log.append([source("s2")])


def test_lookup_by_key_id_and_prefix(store_url: str) -> None:
    log = Log(open_store(store_url), "tester")
    log.append([source("s1"), claim("c1", "s1")])
    event = log.find("c1")
    assert log.find(event.id) == event
    assert log.find(event.id[:8]) == event
    with pytest.raises(InputError, match="no event"):
        log.find("nope")


def test_expected_head(store_url: str) -> None:
    log = Log(open_store(store_url), "tester")
    log.append([source("s1")], expected_head="0")
    head = log.store.head()
    log.append([source("s2", "Another")], expected_head=head.hash[:10])
    with pytest.raises(ConflictError, match="log head is seq 2"):
        log.append([source("s3", "Third")], expected_head=head.hash)
    log.append([source("s3", "Third")], expected_head=log.store.head().hash[:8].upper())  # as some tools print it
    for malformed in ("c4", "zzzz", "0x12ab"):  # no head at all: bad input, not a conflict
        with pytest.raises(InputError, match="is not a hash or a prefix of one"):
            log.append([source("s4", "Fourth")], expected_head=malformed)
    assert log.store.head().seq == 3


def test_batch_is_all_or_nothing(store_url: str) -> None:
    log = Log(open_store(store_url), "tester")
    log.append([source("s1")])
    drafts = [source(f"s{i}", f"T{i}") for i in range(2, 2500)] + [claim("c", "missing")]
    with pytest.raises(InputError, match="unknown reference 'missing'"):
        log.append(drafts)
    assert log.store.head().seq == 1
    assert len(list(log.read())) == 1


def test_chunks_resolve_and_deduplicate_like_one_sequence(store_url: str) -> None:
    # Drafts are checked a chunk at a time; the result must not depend on where chunks end.
    log = Log(open_store(store_url), "tester")
    fillers = [source(f"s{i}", f"T{i}") for i in range(2, CHUNK + 5)]
    done = log.append([source("s1"), *fillers, claim("c1", "s1"), claim("c2", f"s{CHUNK + 4}"), source("s1")])
    assert (done.added, done.existing) == (CHUNK + 6, 1)
    assert log.find("c1").data()["source"] == log.find("s1").id


def test_the_first_wrong_draft_is_reported(store_url: str) -> None:
    # The key clash (found when chaining) comes before the unknown reference (found when
    # checking bodies, which runs first over a chunk): the message names the clash.
    log = Log(open_store(store_url), "tester")
    drafts = [
        source("s1"),
        Draft(source("s1").type, source("s1", "Other").body, "s1", where="line 2"),
        Draft(claim("c", "missing").type, claim("c", "missing").body, "c", where="line 3"),
    ]
    with pytest.raises(InputError, match="line 2: key: 's1' is already used"):
        log.append(drafts)
    assert log.store.head().seq == 0


def test_a_key_that_is_not_text_is_refused(store_url: str) -> None:
    # Keys come from JSON lines unchecked; the chunk's one lookup query must not choke on them.
    log = Log(open_store(store_url), "tester")
    with pytest.raises(InputError, match="5 is not a valid key"):
        log.append([source("s1"), Draft(source("s2", "B").type, source("s2", "B").body, 5)])  # type: ignore[arg-type]
    assert log.store.head().seq == 0


def test_record_time_never_runs_backwards(store_url: str) -> None:
    moments = iter([dt.datetime(2025, 6, 2, tzinfo=dt.timezone.utc), dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)])
    log = Log(open_store(store_url), "tester", clock=lambda: next(moments))
    log.append([source("s1")])
    log.append([source("s2", "B")])
    first, second = log.read()
    assert second.recorded_at >= first.recorded_at
    assert log.store.seq_at("2025-06-01T23:59:59.000000Z") == 0
    assert log.store.seq_at("2025-06-02T00:00:00.000000Z") == 2


def test_database_refuses_update_and_delete(store_url: str) -> None:
    log = Log(open_store(store_url), "tester")
    log.append([source("s1")])
    for sql in ("UPDATE events SET recorded_by = 'mallory'", "DELETE FROM events"):
        with pytest.raises(Exception, match="append-only"):
            raw(store_url, sql)
    assert log.store.head().seq == 1


def test_database_refuses_an_event_off_the_chain(store_url: str) -> None:
    log = Log(open_store(store_url), "tester")
    log.append([source("s1")])
    head = log.store.head()
    gap = Event(3, "c" * 64, "SourceRegistered", None, "2025", "m", b"{}", head.hash, "e" * 64)
    unlinked = Event(2, "f" * 64, "SourceRegistered", None, "2025", "m", b"{}", "0" * 64, "e" * 64)
    linked = Event(2, "f" * 64, "SourceRegistered", None, "2025", "m", b"{}", head.hash, "d" * 64)
    # a gap; a wrong prev; a good event, then one that does not follow it: all refused whole
    for bad in ([gap], [unlinked], [linked, gap]):
        with pytest.raises(InputError, match="refused"):
            with log.store.writing() as tx:
                tx.insert(bad)
        assert log.store.head() == head


def test_read_rows_are_the_events_as_stored(store_url: str) -> None:
    log = Log(open_store(store_url), "tester")
    untitled = {"title": "Rapport d’étape — 报告 \U0001f600", "kind": "news"}
    log.append([source("s1"), claim("c1", "s1"), Draft("SourceRegistered", untitled)])
    rows = [row for rows in log.store.read_rows() for row in rows]
    assert rows == [
        (e.seq, e.id, e.type, e.key, e.recorded_at, e.recorded_by, e.body, e.prev, e.hash) for e in log.read()
    ]
    assert rows[2][3] is None and type(rows[2][6]) is bytes
