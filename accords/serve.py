"""The serve command: the record as a SPARQL 1.1 endpoint (accords/endpoint.py)."""

from __future__ import annotations

import socket

import click

from accords.events.errors import InputError
from accords.options import open_record, store_option
from accords.output import say


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="The address to listen on (loopback: this machine only)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1), help="Seconds one query may run."
)
@click.option(
    "--limit", default=100_000, show_default=True, type=click.IntRange(min=1), help="Rows one answer may hold."
)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Queries answered at once.")
@store_option
def serve(host: str, port: int, timeout: float, limit: int, workers: int, store: str | None) -> None:
    """Serve the record read-only: pages for people (search at /, a state's timeline at
    /state/CODE, a claim at /claim/KEY), the SPARQL 1.1 Protocol at /sparql (GET, or POST
    as a form or application/sparql-query) and each named query at /query/NAME?PARAM=VALUE.

    The clocks are the extra parameters as_of, known_by and valid_at; results come as JSON,
    XML, CSV or TSV and graphs as Turtle, N-Triples, JSON-LD or RDF/XML, as the client's
    Accept header asks (a CSV cell a spreadsheet would run as a formula gets a leading ').
    Updates are refused. A query that runs past --timeout is stopped (503) and an answer
    over --limit rows refused (413), and other clients go on being answered. Each answer's
    Accords-Head header names the log head it reflects.

    \b
    Example:
      accords serve --port 8000
      curl 'http://127.0.0.1:8000/sparql' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3'
      curl 'http://127.0.0.1:8000/query/agreements-by-state?state=RW&as_of=40' -H 'Accept: text/csv'
    """
    import uvicorn

    from accords.endpoint import app
    from accords.query_workers import Workers

    record = open_record(store)
    head = record.project_rdf()  # built once here, not by the first query
    if host not in ("127.0.0.1", "::1", "localhost"):
        say(f"warning: listening on {host}: anyone who can reach this machine can read the record", err=True)
    try:
        listening = socket.create_server((host, port))  # bound before the ready line: a client may connect at once
    except OSError as e:
        raise InputError(f"cannot listen on {host}:{port}: {e.strerror}", "give another --port") from None
    pool = Workers(record.recorder.url, workers, timeout)
    try:
        config = uvicorn.Config(app(pool, limit), log_level="warning", access_log=False)
        url = f"http://{host}:{listening.getsockname()[1]}/sparql"
        say(f"accords serve: {url} (the record at seq {head.seq}; pages at /); Ctrl-C stops it", err=True)
        uvicorn.Server(config).run(sockets=[listening])
    finally:
        pool.close()
