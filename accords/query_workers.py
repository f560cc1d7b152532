"""The processes that answer the server's queries: each holds the record open, answers one
query at a time, and is killed and replaced when a query runs past the time limit (a
SPARQL query cannot be stopped inside the engine), so a runaway query neither hangs the
server nor starves other clients; they wait for a free worker meanwhile.

A job is what a request asks: a SPARQL text or a named query with its parameters, the
three clocks, the media types the client accepts (its Accept header) and a result limit.
A reply is an HTTP status, a media type, a body and the log head the answer reflects.
"""

from __future__ import annotations

import multiprocessing as mp
import queue
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

# SPARQL results and RDF, by media type (the SPARQL 1.1 Protocol's), first the default.
RESULTS = {
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
GRAPHS = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
}
ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml"}


@dataclass(frozen=True, slots=True)
class Job:
    text: str | None  # a SPARQL query, or None for a named query
    name: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    clocks: dict[str, str | None] = field(default_factory=dict)  # as_of, known_by, valid_at
    accept: str = ""
    limit: int = 100_000
    page: str | None = None  # a page of the workbench (pages.py), its parameters in params


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    media_type: str
    body: bytes
    head: str = ""  # "seq hash" of the log head the answer reflects


def choose(accept: str, offered: dict[str, str]) -> str | None:
    """The offered media type the Accept header prefers (q-values, */*, type/*); the first
    offered when the header is empty; None when it accepts none of them."""
    if not accept.strip():
        return next(iter(offered))
    best: tuple[float, int, str] | None = None
    for n, part in enumerate(accept.split(",")):
        kind, *options = (p.strip() for p in part.split(";"))
        kind = ALIASES.get(kind.lower(), kind.lower())
        q = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        matches = [m for m in offered if kind in ("*/*", m) or (kind.endswith("/*") and m.startswith(kind[:-1]))]
        for m in matches[:1] if kind.endswith("*") else matches:
            if q > 0 and (best is None or q > best[0]):
                best = (q, n, m)
    return best[2] if best else None


def answer(record: Any, job: Job) -> Reply:
    """The reply to a job, from a record (accords.open()) in this process."""
    import orjson
    import pyoxigraph as ox

    from accords.events.errors import AccordsError
    from accords.output import spreadsheet_csv

    try:
        if job.page is not None:
            from accords.pages import render

            head = record.recorder.head()
            html = render(record, job.page, job.params, job.clocks)
            return Reply(200, "text/html; charset=utf-8", html, f"{head.seq} {head.hash}")
        if job.name is not None:
            found = record.query(job.name, job.params, **job.clocks)
        else:
            found = record.sparql(job.text, **job.clocks)
    except AccordsError as e:
        message = e.message + (f"\nhint: {e.hint}" if e.hint else "")
        return Reply(400, "text/plain; charset=utf-8", message.encode())
    head = f"{found.head.seq} {found.head.hash}"
    results = found.results
    if isinstance(results, ox.QueryTriples):
        media = choose(job.accept, GRAPHS)
        if media is None:
            return Reply(406, "text/plain; charset=utf-8", f"a graph is written as {', '.join(GRAPHS)}".encode())
        return Reply(200, media, results.serialize(format=getattr(ox.RdfFormat, GRAPHS[media])) or b"", head)
    media = choose(job.accept, RESULTS)
    if media is None:
        return Reply(406, "text/plain; charset=utf-8", f"results are written as {', '.join(RESULTS)}".encode())
    data = results.serialize(format=ox.QueryResultsFormat.JSON)
    if isinstance(results, ox.QuerySolutions):
        parsed = orjson.loads(data)
        if len(parsed["results"]["bindings"]) > job.limit:
            return Reply(
                413,
                "text/plain; charset=utf-8",
                f"more than {job.limit} rows: add a LIMIT, or start the server with a higher --limit".encode(),
                head,
            )
    if RESULTS[media] == "JSON":
        body = data
    else:  # written by the engine from what it wrote as JSON
        again = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        body = again.serialize(format=getattr(ox.QueryResultsFormat, RESULTS[media])) or b""
    if media == "text/csv":
        body = spreadsheet_csv(body)
    return Reply(200, media + ("; charset=utf-8" if media.startswith("text/") else ""), body, head)


def _work(store: str, conn: Connection) -> None:
    """A worker's life: open the record once, then answer each job it is sent."""
    import accords

    record = accords.open(store)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(answer(record, job))
        except Exception as e:  # an answer is owed whatever happens; the server says what
            conn.send(Reply(500, "text/plain; charset=utf-8", f"internal error: {type(e).__name__}: {e}".encode()))


_DIED = (
    b"the query stopped the process answering it (the SPARQL engine aborts on an ORDER BY over values"
    b" it cannot order among themselves: sort by STR(?value))"
)


class Workers:
    """A few worker processes and the time limit of one query."""

    def __init__(self, store: str, count: int, timeout: float) -> None:
        self.store, self.timeout = store, timeout
        self.context = mp.get_context("spawn")  # a fresh interpreter: no thread of the server is copied
        self.idle: queue.Queue[tuple[Any, Connection]] = queue.Queue()
        for _ in range(count):
            self.idle.put(self._start())

    def _start(self) -> tuple[Any, Connection]:
        mine, theirs = self.context.Pipe()
        process = self.context.Process(target=_work, args=(self.store, theirs), daemon=True)
        process.start()
        theirs.close()
        return process, mine

    def ask(self, job: Job) -> Reply:
        """Blocking: wait for a free worker, send it the job, wait at most the time limit.
        A worker that runs past it, or dies (an engine abort, out of memory), is replaced."""
        process, conn = self.idle.get()
        started = time.monotonic()
        try:
            conn.send(job)
            reply: Reply | None = conn.recv() if conn.poll(self.timeout) else None
            healthy = reply is not None
        except (EOFError, OSError):  # it died: it may still be writing its core, so not "alive" to ask
            reply, healthy = Reply(500, "text/plain; charset=utf-8", _DIED), False
        if healthy and reply is not None:
            self.idle.put((process, conn))
            return reply
        process.kill()
        process.join()
        conn.close()
        self.idle.put(self._start())
        if reply is not None:
            return reply
        spent = time.monotonic() - started
        return Reply(
            503,
            "text/plain; charset=utf-8",
            f"the query ran past the time limit ({self.timeout:g} s; stopped after {spent:.1f} s)".encode(),
        )

    def close(self) -> None:
        while not self.idle.empty():
            process, conn = self.idle.get_nowait()
            conn.close()
            process.kill()
