"""The RDF projection: the log folded into a pyoxigraph dataset that persists and catches up.

The dataset lives next to a SQLite store (``accords.db.graph/``) or, for PostgreSQL,
under ``$ACCORDS_GRAPH`` or the user's cache folder. It records the log head it
reflects (seq and hash) in graph:projection, and catches up from there; once asked
for, it keeps the judgement of disagreements of that head in graph:judgement
(graph/judgement.py), judged again for what each catch-up touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from accords.events.errors import InputError, StoreError
from accords.events.dates import bounds, publication
from accords.events.model import EMPTY, Event, Head
from accords.events.personal import reading
from accords.events.store import Recorder
from accords.graph.fold import Delta, Erased, Fold, Sink, Unprojectable
from accords.graph.terms import HEAD_SEQ, META, PROVENANCE, TYPE, VOCABULARY, XSD, acc, event_iri, source_iri
from accords.ontology.vocabulary import ontology_graph

HEAD_HASH, BUILT = acc("headHash"), acc("builtWith")
SKIPPED = acc("unprojectable")  # in META: an event the fold could not apply (its seq, and why)
LAYOUT = "2"  # what the fold writes: bump when it changes (2: acc:frame of statement nodes)
_INTEGER = ox.NamedNode(XSD + "integer")
BATCH = 5000
BULK = 1_000_000  # quads per bulk load while building from nothing: bounds the memory they take


def default_location(store_url: str) -> Path:
    """Where the projection of a store lives unless ACCORDS_GRAPH says otherwise."""
    if os.environ.get("ACCORDS_GRAPH"):
        return Path(os.environ["ACCORDS_GRAPH"])
    if not store_url.startswith(("postgresql://", "postgres://")):
        return Path(store_url + ".graph")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "accords" / hashlib.sha256(store_url.encode()).hexdigest()[:16]


@cache
def built() -> str:
    """The fold's layout and the vocabulary it copies in: a projection built with others is
    rebuilt, not caught up (the named queries read both)."""
    text = files("accords.ontology").joinpath("accords.ttl").read_bytes()
    return f"{LAYOUT}-{hashlib.sha256(text).hexdigest()[:16]}"


def _vocabulary_quads() -> list[ox.Quad]:
    """The vocabulary, with state names, so queries can show labels."""
    from accords.ontology.states import state_labels

    triples = ontology_graph().serialize(format="nt") + state_labels()
    return [
        ox.Quad(t.subject, t.predicate, t.object, VOCABULARY)
        for t in ox.parse(triples.encode(), format=ox.RdfFormat.N_TRIPLES)
    ]


@dataclass(frozen=True, slots=True)
class View:
    """A point on the three clocks: record time (seq), publication time, valid time."""

    as_of: int | None = None
    known_by: dt.date | None = None
    valid_at: dt.date | None = None

    @property
    def current(self) -> bool:
        return self.as_of is None and self.known_by is None and self.valid_at is None

    def admit(self) -> Callable[[dict[str, Any], ox.NamedNode], bool] | None:
        """The claim filter of the publication and valid clocks (record time cuts the log)."""
        if self.known_by is None and self.valid_at is None:
            return None
        published: dict[str, dt.date | None] = {}

        def admit(body: dict[str, Any], source: ox.NamedNode) -> bool:
            if self.valid_at is not None and "valid_time" in body:
                b = bounds(body["valid_time"])
                if (b.earliest and b.earliest > self.valid_at) or (b.latest and b.latest < self.valid_at):
                    return False
            if self.known_by is not None:
                latest = published.get(source.value)
                return latest is not None and latest <= self.known_by
            return True

        admit.published = published  # type: ignore[attr-defined]
        return admit


class Projection:
    """The dataset and the head it reflects."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.lock: _Lock | None = None  # a reader's share of the lock file, held while it reads

    @classmethod
    def open(cls, path: Path) -> Projection:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return cls(ox.Store(str(path)))
        except OSError as e:
            raise StoreError(
                f"cannot open the graph at {path}: {e}",
                "another accords command may be using it; or set ACCORDS_GRAPH to another folder",
            ) from None

    @classmethod
    def memory(cls) -> Projection:
        return cls(ox.Store())

    def head(self) -> Head:
        seq = next(iter(self.store.quads_for_pattern(META, HEAD_SEQ, None, META)), None)
        hash_ = next(iter(self.store.quads_for_pattern(META, HEAD_HASH, None, META)), None)
        if seq is None or hash_ is None:
            return EMPTY
        assert isinstance(seq.object, ox.Literal) and isinstance(hash_.object, ox.Literal)
        return Head(int(seq.object.value), hash_.object.value)

    def built_with(self) -> str | None:
        """The layout and vocabulary the projection was built with (built())."""
        found = next(iter(self.store.quads_for_pattern(META, BUILT, None, META)), None)
        return found.object.value if found is not None and isinstance(found.object, ox.Literal) else None

    def skipped(self) -> list[tuple[int, ox.NamedNode, str]]:
        """The events the fold could not apply (seq, IRI, why): every answer leaves them out."""
        found = []
        for q in self.store.quads_for_pattern(None, SKIPPED, None, META):
            seq = next(iter(self.store.quads_for_pattern(q.subject, acc("seq"), None, META)))
            assert isinstance(q.subject, ox.NamedNode) and isinstance(seq.object, ox.Literal)
            found.append((int(seq.object.value), q.subject, str(getattr(q.object, "value", q.object))))
        return sorted(found)

    def _set_head(self, head: Head) -> None:
        for predicate in (HEAD_SEQ, HEAD_HASH, BUILT):
            for quad in list(self.store.quads_for_pattern(META, predicate, None, META)):
                self.store.remove(quad)
        self.store.extend(
            [
                ox.Quad(META, HEAD_SEQ, ox.Literal(str(head.seq), datatype=_INTEGER), META),
                ox.Quad(META, HEAD_HASH, ox.Literal(head.hash), META),
                ox.Quad(META, BUILT, ox.Literal(built()), META),
            ]
        )

    def fold(
        self,
        events: Iterator[Event],
        admit: Any = None,
        track: bool = False,
        on_event: Callable[[Event, Delta], None] | None = None,
        sink: Sink | None = None,
        on_disk: bool = False,
    ) -> Head:
        """Apply events after the recorded head; record the new head every BATCH events.

        With a sink (see Fold), this store keeps only what the fold reads back, and the
        sink gets the vocabulary, every final quad and, after the last event, the rest.
        on_disk: adding to a dataset on disk, which an erasure must build again (Erased).
        """
        if self.head().empty and not self.store.contains_named_graph(VOCABULARY):
            (sink or self.store.extend)(_vocabulary_quads())
        fold = Fold(self.store, admit, track, sink, on_disk)
        head = self.head()
        for event in events:
            if event.seq != head.seq + 1 or event.prev != head.hash:
                raise StoreError(
                    f"the graph reflects seq {head.seq} ({head.hash[:12]}), the log does not continue it",
                    "rebuild it: accords project rdf --rebuild",
                )
            try:
                delta = fold.apply(event)
            except Unprojectable as e:  # left out, and said so by every read (tell())
                delta = Delta()
                (sink or self.store.extend)(
                    [
                        ox.Quad(event_iri(event.id), acc("seq"), ox.Literal(str(event.seq), datatype=_INTEGER), META),
                        ox.Quad(event_iri(event.id), SKIPPED, ox.Literal(e.reason), META),
                    ]
                )
            else:
                if admit is not None and event.type == "SourceRegistered":
                    body = event.data()
                    published = publication(body.get("published"), event.recorded_at).latest
                    admit.published[source_iri(event.id).value] = published
            if on_event:
                on_event(event, delta)
            head = Head(event.seq, event.hash)
            if event.seq % BATCH == 0:
                fold.flush()
                self._set_head(head)
        fold.flush()
        self._set_head(head)
        if sink is not None:
            sink(fold.remaining())
        return head

    def catch_up(self, recorder: Recorder, upto: int | None = None) -> Head:
        """Fold the events the projection has not seen yet (up to seq upto)."""
        head = self.head()
        log_head = recorder.head()
        if head.seq > log_head.seq:
            raise StoreError(
                f"the graph reflects seq {head.seq}, the log has only {log_head.seq}",
                "the graph belongs to another log: rebuild it with accords project rdf --rebuild",
            )
        return self.fold(reading(recorder, head.seq + 1, upto), on_disk=True)


def open_projection(
    recorder: Recorder, location: Path | None = None, rebuild: bool = False, judged: bool = False
) -> Projection:
    """The persistent projection of recorder, caught up with the log, opened read-only;
    judged: keeping the judgement of disagreements of its head (graph/judgement.py).

    Readers share a lock file beside the dataset, and the one command that catches it up
    (or builds it) holds it alone: no reader opens a dataset while it is written, and a
    reader that finds it behind waits for the writer, then reads what it wrote. The
    projection returned holds its share of the lock until it is dropped.
    """
    path = location or default_location(recorder.url)
    lock = _Lock(path)
    lock.take(exclusive=False)
    if path.exists() and not rebuild:
        found = Projection(ox.Store.read_only(str(path)))  # opened once: it is what most commands read
        if found.built_with() == built() and found.head() == _bare(recorder.head()):
            if not judged:
                found.lock = lock
                return tell(found)
            from accords.graph import judgement  # only where it is asked for: 20 ms to import

            if judgement.judged(found.store):
                found.lock = lock
                return tell(found)
        del found  # released before the writer opens the folder
    lock.take(exclusive=True)  # another command may have caught it up meanwhile: looked at again
    if path.exists() and (rebuild or Projection(ox.Store.read_only(str(path))).built_with() != built()):
        shutil.rmtree(path)
    _catch_up(recorder, path, judged)
    lock.take(exclusive=False)
    projection = Projection(ox.Store.read_only(str(path)))
    projection.lock = lock
    return tell(projection)


def tell(projection: Projection) -> Projection:
    """Projection, having said on stderr which events it leaves out (Projection.skipped())
    and, if it waited for another command, which head it answers for."""
    from accords.output import say

    if projection.lock is not None and projection.lock.waited:
        head = projection.head()
        say(f"the graph reflects seq {head.seq} ({head.hash[:12]}): the answer is for that head", err=True)
    for seq, _, reason in projection.skipped():
        say(f"warning: seq {seq} could not be projected ({reason}); every answer leaves it out", err=True)
    return projection


class _Lock:
    """The lock file beside a projection (flock: released when the process ends, however
    it ends), shared by readers and held alone by a writer, waited for at most
    ACCORDS_GRAPH_WAIT seconds (default 600)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.file = open(str(path) + ".lock", "a")  # noqa: SIM115 -- held for the projection's life
        self.waited = False  # whether it said it was waiting for another command

    def take(self, exclusive: bool) -> None:
        import fcntl
        import time

        mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        wait = float(os.environ.get("ACCORDS_GRAPH_WAIT", "600"))
        start, told = time.monotonic(), False
        while True:
            try:
                fcntl.flock(self.file.fileno(), mode)
                return
            except BlockingIOError:
                now = time.monotonic()
                if now - start > wait:
                    raise StoreError(
                        f"the graph at {self.path} has been busy for {wait:.0f} s: another accords command is "
                        + ("reading it" if exclusive else "bringing it up to date"),
                        "try again when it is done (ACCORDS_GRAPH_WAIT sets how long to wait)",
                    ) from None
                if not told and now - start > 1:
                    from accords.output import say

                    say(f"waiting for another accords command to finish with the graph at {self.path}", err=True)
                    told = self.waited = True
                time.sleep(0.05)


def _bare(head: Head) -> Head:
    return Head(head.seq, head.hash)


def _catch_up(recorder: Recorder, path: Path, judged: bool) -> None:
    from accords.graph import judgement

    writer = Projection.open(path)
    head = writer.head()
    stale = not head.empty and not _holds(recorder, head)
    if stale:  # a graph of another log (the file replaced, a backup restored): it is a cache, rebuilt
        from accords.output import say

        say(
            f"the graph at {path} reflected seq {head.seq} ({head.hash[:12]}), which this log does not hold:"
            " rebuilding it from the log",
            err=True,
        )
    if head.empty or stale:
        if stale or next(iter(writer.store.quads_for_pattern(None, None, None, None)), None) is not None:
            del writer  # another log's, or quads but no head: a build from nothing that was interrupted
            shutil.rmtree(path)
            writer = Projection.open(path)
        _build(recorder, writer)
    else:
        erased = None
        try:
            writer.catch_up(recorder)
        except Erased as e:
            erased = e.args[0]
        if erased is not None:  # the person's data goes from the files with the dataset that held it
            from accords.output import say

            say(f"{erased} was erased: building the graph at {path} afresh from the log", err=True)
            del writer
            shutil.rmtree(path)
            writer = Projection.open(path)
            _build(recorder, writer)
    # The judgement is kept once asked for: then what each catch-up's events touched is judged again.
    head, kept = writer.head(), judgement.kept_seq(writer.store)
    if kept is not None and kept != head.seq:
        judgement.keep(writer.store, head.seq, recorder.read(kept + 1, head.seq))
    elif kept is None and judged:
        judgement.keep(writer.store, head.seq)
    writer.store.flush()
    del writer  # dropping the last reference releases the store's lock


def _holds(recorder: Recorder, head: Head) -> bool:
    """Whether the log holds head: the event at its seq has its hash (the graph can be caught up)."""
    event = next(recorder.read(head.seq, head.seq), None)
    return event is not None and event.hash == head.hash


def _build(recorder: Recorder, writer: Projection) -> None:
    """From nothing: fold in memory, bulk-loading the quads as they become final.

    Several times faster than writing through the on-disk store's transactions event by
    event. The bulk loader is not transactional, so the head is written last, in a
    transaction of its own, once the data is flushed: the head moves only with its data.
    """
    pending: list[ox.Quad] = []

    def sink(quads: Iterable[ox.Quad]) -> None:
        pending.extend(quads)
        if len(pending) >= BULK:
            writer.store.bulk_extend(pending)
            pending.clear()

    head = Projection.memory().fold(reading(recorder), sink=sink)
    writer.store.bulk_extend(pending)
    writer.store.flush()
    writer._set_head(head)


def judged_since(store: ox.Store, seq: int) -> bool:
    """Whether a derivation was judged or undone after seq: the live projection's links are
    then not those of a view as of seq, which the named queries must read folded afresh."""
    for kind in (acc("DerivationJudgement"), acc("DerivationUndo")):
        for q in store.quads_for_pattern(None, TYPE, kind, PROVENANCE):
            found = next(iter(store.quads_for_pattern(q.subject, acc("seq"), None, PROVENANCE)), None)
            if found is not None and isinstance(found.object, ox.Literal) and int(found.object.value) > seq:
                return True
    return False


def view(recorder: Recorder, at: View, live: Projection | None = None) -> Projection:
    """The dataset as it stood at a point of the three clocks.

    The current view is the live projection. Any other view is folded afresh in memory
    from the log: exactly what a store holding only those events would answer.
    """
    if at.current and live is not None:
        return live
    projection = Projection.memory()
    projection.fold(reading(recorder, 1, at.as_of), admit=at.admit())
    return tell(projection)


def parse_view(as_of: str | None, known_by: str | None, valid_at: str | None, recorder: Recorder) -> View:
    """The three clock options as typed: --as-of SEQ|TIME, --known-by DATE, --valid-at DATE."""
    seq = None
    if as_of is not None:
        if as_of.isdigit():
            seq = int(as_of)
            head = recorder.head().seq
            if seq > head:
                raise InputError(
                    f"--as-of: seq {seq} is past the head of the log (seq {head})",
                    "give a seq up to the head, or a time",
                )
        else:
            from accords.events.model import parse_timestamp, timestamp

            try:
                moment = as_of if "T" in as_of else as_of + "T23:59:59.999999+00:00"
                seq = recorder.seq_at(timestamp(parse_timestamp(moment)))
            except ValueError:
                raise InputError(f"--as-of: {as_of!r} is neither a seq nor an ISO 8601 time") from None
    return View(seq, clock_date(known_by, "--known-by"), clock_date(valid_at, "--valid-at"))


def clock_date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option}: {text!r} is not a date (YYYY-MM-DD)") from None
