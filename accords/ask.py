"""Commands that ask the graph: sparql and query (named queries)."""

from __future__ import annotations

import os
import re
import signal
import sys
import tempfile
from typing import IO, Any

import click
import pyoxigraph as ox

from accords.events.errors import InputError
from accords.options import clock_options, clocks, open_record, query_text, store_option
from accords.output import render, resolve_format, say
from accords.cypher import neo4j_options

RESULT_FORMATS = ("table", "json", "csv", "tsv", "turtle", "ntriples")
_RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}


def show_results(answer: Any, fmt: str | None) -> None:
    """Write an answer: SPARQL results JSON (IRIs whole) or RDF as the standards write them;
    a table, CSV or TSV through the one renderer, naming claims and sources by key, states
    by name and vocabulary terms by local name."""
    results = answer.results
    fmt = resolve_format(fmt)
    if isinstance(results, ox.QueryTriples):
        sys.stdout.buffer.write(results.serialize(format=_RDF_FORMATS.get(fmt, ox.RdfFormat.TURTLE)) or b"")
        return
    if fmt == "json":
        data = results.serialize(format=ox.QueryResultsFormat.JSON)
        sys.stdout.buffer.write(data if data.endswith(b"\n") else data + b"\n")
        return
    if isinstance(results, ox.QueryBoolean):
        say("true" if bool(results) else "false")
        return
    if fmt in _RDF_FORMATS:
        raise InputError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries")
    rows = answer.rows()
    render(rows, rows.columns, fmt)


@click.command()
@click.argument("query", required=False)
@click.option("--file", "-f", "file", type=click.File("r"), help="Read the query from a file.")
@clock_options
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RESULT_FORMATS),
    default=None,
    help="table on a terminal, SPARQL results JSON when piped; csv, tsv (a cell a spreadsheet would run as a "
    "formula gets a leading '); turtle or ntriples for CONSTRUCT/DESCRIBE.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let the query call the other SPARQL endpoints it names (SERVICE); refused without it.",
)
def sparql(
    query: str | None,
    file: IO[str] | None,
    as_of: str | None,
    known_by: str | None,
    valid_at: str | None,
    store: str | None,
    fmt: str | None,
    allow_service: bool,
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE); updates are refused, and so is
    a call to another endpoint (SERVICE) unless --allow-service names the intent.

    The default graph is what the record believes now (graph:belief, with the
    vocabulary and state names); claims, sources and their provenance are in
    GRAPH graph:provenance, each claim's statement in its own graph. Prefixes acc:,
    prov:, dcterms:, schema:, rdfs:, xsd:, id: and graph: are predefined; in a
    prefixed name a slash is escaped: id:state\\/PE is <https://w3id.org/accords/id/state/PE>.

    \b
    Example:
      accords sparql 'SELECT ?a ?p WHERE { ?a a acc:Agreement ; acc:party ?p }'
      accords sparql 'SELECT ?a WHERE { ?a acc:party id:state\\/PE }'
      accords sparql --as-of 40 --file question.rq --format csv
      echo 'ASK { ?t a acc:Transfer }' | accords sparql -
    """
    text = query_text(query, file)
    from accords import cli

    if cli.WHOLE_PROCESS and _SORTS.search(text):
        _apart()
    record = open_record(store)
    show_results(record.sparql(text, **clocks(record, as_of, known_by, valid_at), allow_service=allow_service), fmt)


_SORTS = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


def _apart() -> None:
    """Go on in a child process, and end this one as the child ends. Oxigraph aborts the
    process it runs in (a Rust panic, exit 134) when an ORDER BY compares values it cannot
    order among themselves (text, numbers and booleans in one sort key): the child's abort
    becomes a message here. Forked before any store is opened, so no thread is lost."""
    sys.stdout.flush()
    sys.stderr.flush()
    said = tempfile.TemporaryFile()
    pid = os.fork()
    if pid == 0:  # the child: what it says on stderr is passed on unless it aborts
        os.dup2(said.fileno(), sys.stderr.fileno())
        return
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGABRT:
        raise InputError(
            "the SPARQL engine could not sort the results: ORDER BY compares values of different kinds "
            "(text, numbers, dates, booleans, IRIs) that it cannot order",
            "sort by STR(?value), or by values of one kind",
        )
    said.seek(0)
    sys.stderr.buffer.write(said.read())
    sys.stderr.flush()
    os._exit(os.waitstatus_to_exitcode(status))


@click.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A parameter value (repeatable).")
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@click.option("--engine", type=click.Choice(["sparql", "cypher"]), default="sparql", show_default=True)
@clock_options
@store_option
@neo4j_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(RESULT_FORMATS),
    default=None,
    help="table on a terminal, SPARQL results JSON when piped; csv, tsv.",
)
def query(
    name: str | None,
    params: tuple[str, ...],
    list_: bool,
    engine: str,
    as_of: str | None,
    known_by: str | None,
    valid_at: str | None,
    store: str | None,
    fmt: str | None,
    neo4j: Any = None,
) -> None:
    """Run a named query from the library, with bound parameters.

    \b
    Example:
      accords query --list
      accords query agreements-by-state --param state=state/RW
      accords query agreements-by-state -p state=state/RW --as-of 2025-05-01
      accords query payments --engine cypher --neo4j bolt://localhost:7687
    """
    from accords.queries.library import bind, get, library

    if list_ or name is None:
        rows = [
            {
                "name": q.name,
                "title": q.title,
                "parameters": ", ".join(
                    f"{p.name} ({p.type}{', default ' + p.default if p.default else ''})" for p in q.params
                ),
                "engines": "+".join(e for e, t in (("sparql", q.sparql), ("cypher", q.cypher)) if t),
            }
            for q in library().values()
        ]
        render(
            rows, ["name", "title", "parameters", "engines"], fmt if fmt in ("json", "csv", "tsv", "table") else None
        )
        return
    named = get(name)
    given = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"--param {item!r}: expected NAME=VALUE")
        given[key] = value
    values = bind(named, given)
    defaulted = [f"{p.name}={values[p.name]}" for p in named.params if p.name not in given and p.name in values]
    if defaulted:  # an example value answering quietly reads as the answer to the user's question
        say(f"note: {name} with the default {', '.join(defaulted)}; set it with --param NAME=VALUE", err=True)
    record = open_record(store)
    at = clocks(record, as_of, known_by, valid_at)
    if engine == "cypher":
        from accords.cypher import run_named

        return run_named(named, values, record.view(**at), neo4j, store, fmt)
    show_results(record.query(name, values, **at), fmt)
