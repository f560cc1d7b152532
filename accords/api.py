"""The library's face: ``accords.open(store)`` gives a Record whose methods do what the commands do.

    import accords
    with accords.open("accords.db") as record:
        rows = record.query("agreements-by-state", {"state": "Rwanda"}).rows()
        record.trace("agreement/us-rw").claims

Every method takes the three clocks as keywords (``as_of``: a seq or an ISO time;
``known_by`` and ``valid_at``: a date), as the commands take them as options. Answers are
plain Python values (accords/answers.py). Nothing here writes to a terminal: the CLI
renders what these methods return.
"""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from accords.answers import Answer
from accords.events.errors import InputError, NotConforming as NotConforming  # re-exported: callers catch it here
from accords.events.log import Appended, Draft, Log
from accords.events.model import Event, Head
from accords.events.store import Recorder, store_url
from accords.events.backends import open_store
from accords.events.signatures import Signer
from accords.curating import Curating
from accords.proving import Proving, check_proof as check_proof  # accords.api.check_proof needs no log

if TYPE_CHECKING:
    from accords.graph.projection import Projection, View
    from accords.graph.timeline import Span
    from accords.graph.evidence import Trace
    from accords.graph.validation import Shapes

Clock = str | int | dt.date | None
Progress = Callable[[Any, bool], None]
"""Called with each event an append reads, and whether it is new."""
SEED = "seed/seed.jsonl"  # the seed report, shipped in the package


def _file_name(path: str) -> str:
    return "stdin" if path == "-" else "seed" if path.endswith(SEED) else path


def _present(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if v is not None}


def _open(path: str, files: ExitStack) -> IO[bytes]:
    """The file open for reading (stdin for -), closed with files."""
    if path == "-":
        return sys.stdin.buffer
    try:
        return files.enter_context(builtins.open(path, "rb"))
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None


def _text(value: Clock) -> str | None:
    return None if value is None else value.isoformat() if isinstance(value, dt.date) else str(value)


class Record(Curating, Proving):
    """One log (a SQLite file or a PostgreSQL URL) and the projections read from it."""

    def __init__(
        self,
        store: str | Path | None = None,
        *,
        create: bool = False,
        recorded_by: str | None = None,
        signing_key: str | Path | None = None,
    ) -> None:
        self.url = store_url(None if store is None else str(store))
        signer = Signer.load(Path(signing_key)) if signing_key else None
        self.recorder: Recorder = open_store(self.url, create=create)
        self.log = Log(self.recorder, recorded_by, signer=signer)

    def close(self) -> None:
        self.recorder.close()

    def __enter__(self) -> Record:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def head(self) -> Head:
        """The last event of the log: its seq and hash."""
        return self.recorder.head()

    # -- writing ------------------------------------------------------------------------

    def append(
        self,
        events: Iterable[Mapping[str, Any] | Draft],
        *,
        expected_head: str | None = None,
        dry_run: bool = False,
        processes: int | None = None,
        progress: Progress | None = None,
    ) -> Appended:
        """Append events ({"type", "key", "body"} as in an import file) in one transaction:
        all of them, or none and an InputError naming what is wrong. With dry_run, every
        check is made and nothing is written."""
        from accords.events.files import draft

        drafts = (
            e if isinstance(e, Draft) else draft(dict(e) if isinstance(e, Mapping) else e, f"event {n}")
            for n, e in enumerate(events, 1)
        )
        return self.log.append(drafts, expected_head, progress, processes, commit=not dry_run)

    def import_files(
        self,
        paths: Iterable[str | Path],
        *,
        input_format: str | None = None,
        expected_head: str | None = None,
        dry_run: bool = False,
        processes: int | None = None,
        progress: Callable[[str], Progress] | None = None,
    ) -> Iterator[tuple[str, Appended]]:
        """Import JSONL or YAML files ("-" for stdin), each in a transaction of its own, and
        yield each file's name and what it added as it is committed. With dry_run, the files
        are checked together as one append (a later file may cite an earlier one) and
        nothing is written: one (names, what it would add) is yielded."""
        from accords.events.files import read_events

        given = [str(p) for p in paths]
        names = [_file_name(p) for p in given]
        if dry_run:
            with ExitStack() as files:
                drafts = (
                    d for path, name in zip(given, names) for d in read_events(_open(path, files), name, input_format)
                )
                yield (
                    ", ".join(names),
                    self.log.append(drafts, expected_head, progress and progress("--dry-run"), processes, commit=False),
                )
            return
        for path, name in zip(given, names):
            with ExitStack() as files:
                done = self.log.append(
                    read_events(_open(path, files), name, input_format),
                    expected_head,
                    progress and progress(name),
                    processes,
                )
            expected_head = None
            yield name, done

    def retract(
        self,
        claim: str,
        reason: str,
        *,
        source: str | None = None,
        note: str | None = None,
        expected_head: str | None = None,
    ) -> Appended:
        """Retract a claim (key, id or id prefix); it stays in the log, marked."""
        body = {"claim": claim, "reason": reason, "source": source, "note": note}
        return self.append([Draft("ClaimRetracted", _present(body))], expected_head=expected_head)

    def correct(
        self, claim: str, replacement: str, reason: str, *, note: str | None = None, expected_head: str | None = None
    ) -> Appended:
        """Correct a claim by a replacement claim recorded before; both stay in the log."""
        body = {"claim": claim, "replacement": replacement, "reason": reason, "note": note}
        return self.append([Draft("ClaimCorrected", _present(body))], expected_head=expected_head)

    def export(
        self,
        out: IO[bytes],
        format: str = "jsonl",
        graph: str | None = None,
        *,  # noqa: A002
        as_of: Clock = None,
        known_by: Clock = None,
        valid_at: Clock = None,
    ) -> None:
        """Write the log as JSONL (re-imports to the same chain), or its projection at a point
        of the clocks as TriG, N-Quads or JSON-LD (graph: "all", the default, with the belief as
        the default graph and every other graph by name; or "belief" alone), Turtle (the
        belief), PROV-O, or its reviews as schema.org ClaimReview and quotes as W3C Web
        Annotations ("claimreview", "annotation": JSON-LD)."""
        at = self.view(as_of, known_by, valid_at)
        if format == "jsonl":
            if graph is not None or not at.current:
                raise InputError(
                    "--graph and the clocks apply to the RDF formats, not to jsonl",
                    "jsonl is the whole log: it re-imports to the same chain",
                )
            from accords.events.files import write_jsonl

            write_jsonl(self.log.read(), out, self.recorder.person_keys())
            return
        from accords.graph.export import write_prov, write_rdf

        projection = self.projection(at)
        if format in ("prov", "claimreview", "annotation"):
            if graph is not None:
                raise InputError(f"--graph does not apply to {format}: it describes every claim and source")
            if format == "prov":
                write_prov(projection, out)
            else:
                from accords.graph import markup

                markup.write(projection, format, out)
            return
        clocks = [
            f"{name} {value}"
            for name, value in (("--as-of", at.as_of), ("--known-by", at.known_by), ("--valid-at", at.valid_at))
            if value is not None
        ]
        head = projection.head()
        view = f" of {self.recorder.url} at seq {head.seq}" + (f" ({', '.join(clocks)})" if clocks else "")
        write_rdf(projection, format, graph or ("belief" if format == "turtle" else "all"), out, view)

    # -- reading the log ----------------------------------------------------------------

    def events(
        self,
        types: Iterable[str] = (),
        *,
        source: str | None = None,
        from_seq: int = 1,
        to_seq: int | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Iterator[Event]:
        """The events in log order: of these types, about this source (key or id: the source,
        what cites it, and what concerns its claims), in a seq range, recorded since/until
        an ISO 8601 date or time."""
        from accords.events.listing import filtered, record_time
        from accords.events.personal import revealed

        found = filtered(
            self.log,
            tuple(types),
            source,
            from_seq,
            to_seq,
            record_time(since, "--since"),
            record_time(until, "--until"),
        )
        return revealed(found, self.recorder.person_keys())  # persons as a reader sees them

    def event(self, ref: str | int) -> Event:
        """One event: by key, id, an unambiguous id prefix, or seq (a number that is no key or id prefix)."""
        from accords.events.personal import revealed

        ref = str(ref)
        if ref.isdigit() and not self.recorder.lookup(ref):
            found = next(self.log.read(int(ref), int(ref)), None)
            if found is None:
                raise InputError(f"no event {ref!r} in {self.recorder.url}: the log ends at seq {self.head.seq}")
        else:
            found = self.log.find(ref)
        return next(revealed([found], self.recorder.person_keys()))  # persons as a reader sees them

    # -- the clocks ---------------------------------------------------------------------

    def view(self, as_of: Clock = None, known_by: Clock = None, valid_at: Clock = None) -> View:
        """A point of the three clocks, checked against this log."""
        from accords.graph.projection import parse_view

        return parse_view(_text(as_of), _text(known_by), _text(valid_at), self.recorder)

    def projection(self, at: View | None = None, judged: bool = False) -> Projection:
        """The RDF dataset at a point of the clocks: the live projection, caught up, for now
        (judged: keeping the judgement of disagreements); a view folded afresh from the log
        for any other point."""
        from accords.graph.projection import View, open_projection, view

        at = at or View()
        return view(self.recorder, at, open_projection(self.recorder, judged=judged) if at.current else None)

    # -- history ------------------------------------------------------------------------

    def replay(self, start: int = 1, stop: int | None = None) -> list[dict[str, Any]]:
        """Each event from start to stop, with the beliefs it added and removed."""
        from accords.graph.changes import replay

        return replay(self.recorder, start, stop)

    def diff(self, a: str | int, b: str | int) -> list[dict[str, Any]]:
        """What the record believed at b (a seq or a time) that it did not at a, and the reverse."""
        from accords.graph.changes import diff

        return diff(self.recorder, str(a), str(b))

    # -- asking -------------------------------------------------------------------------

    def sparql(
        self,
        text: str,
        *,
        as_of: Clock = None,
        known_by: Clock = None,
        valid_at: Clock = None,
        allow_service: bool = False,
    ) -> Answer:
        """Run a SPARQL query on the record as it stood at a point of the clocks; a call to
        another endpoint (SERVICE) is refused unless allow_service. (An ORDER BY over values
        of different kinds can abort the process, an Oxigraph bug: sort by STR(?value).)"""
        from accords.graph.labels import Labels
        from accords.graph.sparql import run

        projection = self.projection(self.view(as_of, known_by, valid_at))
        return Answer(run(projection, text, allow_service), projection.head(), Labels(projection.store))

    def query(
        self,
        name: str,
        params: Mapping[str, str] | None = None,
        *,
        as_of: Clock = None,
        known_by: Clock = None,
        valid_at: Clock = None,
    ) -> Answer:
        """Run a named query (``accords query --list``) with its parameters bound by the engine."""
        from accords.graph import judgement
        from accords.graph.projection import judged_since, open_projection, view
        from accords.graph.sparql import run
        from accords.graph.labels import Labels
        from accords.queries.library import bind, get, prepared, sparql_value

        named = get(name)
        if named.sparql is None:
            raise InputError(f"{name} has no SPARQL form", "run it with --engine cypher")
        values = bind(named, dict(params or {}))
        by_name = {p.name: p for p in named.params}
        at = self.view(as_of, known_by, valid_at)
        # The named queries place claims on the clocks themselves, on the live projection; the
        # judgement of the current record is kept there, not judged again, and a view's is
        # made from it (graph/judgement.py in_view).
        kept = name == judgement.QUERY
        projection = open_projection(self.recorder, judged=kept)
        bindings = {k: sparql_value(by_name[k], v) for k, v in values.items()}
        if at.as_of is not None and judged_since(projection.store, at.as_of):
            # derivations judged since: the live links are not the view's, which is folded afresh
            fresh = view(self.recorder, at)
            return Answer(run(fresh, prepared(named, at, bindings)), projection.head(), Labels(fresh.store))
        if kept and not at.current:  # a view's judgement, from the record's as it stands
            answer = judgement.in_view(projection.store, at).query(judgement.KEPT_ROWS)
            return Answer(answer, projection.head(), Labels(projection.store))
        text = judgement.KEPT_ROWS if kept else prepared(named, at, bindings)
        return Answer(run(projection, text), projection.head(), Labels(projection.store))

    def trace(self, target: str, *, as_of: Clock = None, known_by: Clock = None, valid_at: Clock = None) -> Trace:
        """Every claim for or against an entity, a claim (key, id, id prefix) or a statement (JSON)."""
        from accords.events.captures import Texts, found as quoted
        from accords.graph.evidence import trace
        from accords.graph.sourcing import Capture

        found = trace(self.projection(self.view(as_of, known_by, valid_at)), target, self.log.find)
        ledger, texts = self.ledger(), Texts(self.recorder)

        def checked(c: Capture, quote: str) -> Capture:
            text = texts(c.sha256, c.media_type)
            return dataclasses.replace(
                c, quote="unavailable" if text is None else "found" if quoted(quote, text) else "not found"
            )

        claims = [
            dataclasses.replace(
                c, signed=ledger.signer(c.seq, self.recorder), captures=[checked(k, c.quote) for k in c.captures]
            )
            for c in found.claims
        ]
        return dataclasses.replace(found, claims=claims)

    def validate(
        self,
        *,
        as_of: Clock = None,
        known_by: Clock = None,
        valid_at: Clock = None,
        shapes: Shapes | None = None,
    ) -> tuple[list[Any], Head]:
        """The findings of the graph shapes (SHACL results) at a point of the clocks, and the head checked."""
        from accords.graph.validation import Validator, builtin_shapes
        from accords.ontology.shapecheck import Result
        from accords.ontology.vocabulary import ACCSH

        projection = self.projection(self.view(as_of, known_by, valid_at), judged=True)
        found: list[Any] = [
            Result(str(ACCSH) + "Projectable", event, None, "Violation", f"seq {seq} could not be projected: {why}")
            for seq, event, why in projection.skipped()
        ]
        return found + Validator(projection.store, shapes or builtin_shapes()).validate(), projection.head()

    # -- projections --------------------------------------------------------------------

    def project_rdf(self, rebuild: bool = False) -> Head:
        """Bring the RDF dataset kept beside the log up to date (rebuild: fold it all again)."""
        from accords.graph.projection import open_projection

        return open_projection(self.recorder, rebuild=rebuild).head()

    def project_neo4j(
        self,
        uri: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        rebuild: bool = False,
        batch: int | None = None,
        progress: Callable[[int, int, int], None] | None = None,
    ) -> tuple[Head, Head]:
        """Project the log into a Neo4j database (default: $ACCORDS_NEO4J_URI and its user,
        password and database): only what is new, or everything with rebuild. The head the
        graph reflected before and the one it reflects now; progress(seq, of, from) on the way."""
        from accords.graph.neo4j_driver import Graph, Target
        from accords.graph.neo4j import BATCH, Neo4jProjection

        env = Target.from_env()
        graph = Graph(Target(uri or env.uri, user or env.user, password or env.password, database or env.database))
        try:
            projection = Neo4jProjection(graph)
            before = projection.head()
            start = 0 if rebuild else before.seq
            tick = None if progress is None else lambda seq, target: progress(seq, target, start)
            return before, projection.project(self.recorder, rebuild=rebuild, batch=batch or BATCH, progress=tick)
        finally:
            graph.close()

    def validate_over_time(
        self,
        *,
        as_of: Clock = None,
        known_by: Clock = None,
        valid_at: Clock = None,
        shapes: Shapes | None = None,
    ) -> list[Span]:
        """Each finding of the history up to a point of the clocks, with the event that
        introduced it and the one that resolved it (None while it is still open)."""
        from accords.events.personal import reading
        from accords.graph.timeline import over_time
        from accords.graph.validation import builtin_shapes

        at = self.view(as_of, known_by, valid_at)
        return over_time(reading(self.recorder, 1, at.as_of), shapes or builtin_shapes(), admit=at.admit())


def open(  # noqa: A001
    store: str | Path | None = None,
    *,
    create: bool = False,
    recorded_by: str | None = None,
    signing_key: str | Path | None = None,
) -> Record:
    """The record in a SQLite file or at a postgresql:// URL (default: $ACCORDS_STORE, else
    ./accords.db); with signing_key (an Ed25519 private key, PEM), every append is signed."""
    return Record(store, create=create, recorded_by=recorded_by, signing_key=signing_key)
