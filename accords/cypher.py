"""The cypher command: Cypher on the Neo4j property graph, with the clocks bound; and the Neo4j options."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from accords.events.errors import InputError
from accords.options import open_record, query_text
from accords.output import render, resolve_format, say

if TYPE_CHECKING:
    from accords.graph.projection import View

F = TypeVar("F", bound=Callable[..., Any])
CYPHER_FORMATS = ("table", "json", "jsonl", "csv", "tsv")


def neo4j_options(f: F) -> F:
    """--neo4j, --user, --password and --database, handed to f as one Target named neo4j."""
    from accords.graph.neo4j_driver import DEFAULT_URI, Target

    @functools.wraps(f)
    def wrapper(
        *args: Any,
        neo4j_uri: str | None,
        neo4j_user: str | None,
        neo4j_password: str | None,
        neo4j_database: str | None,
        **kwargs: Any,
    ) -> Any:
        return f(*args, neo4j=Target(neo4j_uri, neo4j_user, neo4j_password, neo4j_database), **kwargs)

    for option in reversed(
        [
            click.option(
                "--neo4j",
                "neo4j_uri",
                envvar="ACCORDS_NEO4J_URI",
                metavar="URI",
                help=f"The Neo4j server (default: $ACCORDS_NEO4J_URI, else {DEFAULT_URI}); neo4j+s://… for Aura.",
            ),
            click.option(
                "--user",
                "neo4j_user",
                envvar="ACCORDS_NEO4J_USER",
                metavar="NAME",
                help="Neo4j user (default: $ACCORDS_NEO4J_USER, else neo4j).",
            ),
            click.option(
                "--password",
                "neo4j_password",
                envvar="ACCORDS_NEO4J_PASSWORD",
                metavar="TEXT",
                help="Neo4j password (default: $ACCORDS_NEO4J_PASSWORD; none: no auth).",
            ),
            click.option(
                "--database",
                "neo4j_database",
                envvar="ACCORDS_NEO4J_DATABASE",
                metavar="NAME",
                help="Neo4j database (default: $ACCORDS_NEO4J_DATABASE, else the server's default).",
            ),
        ]
    ):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def connect(target: Any) -> Any:
    """An open Graph on target, closed when the command ends."""
    from accords.graph.neo4j_driver import Graph

    graph = Graph(target)
    click.get_current_context().call_on_close(graph.close)
    return graph


def parse_params(params: tuple[str, ...]) -> dict[str, str]:
    given = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.isidentifier():
            raise InputError(f"--param {item!r}: expected NAME=VALUE")
        given[key] = value
    return given


def show(columns: list[str], rows: list[dict[str, Any]], fmt: str | None) -> None:
    """Cypher rows: JSON as returned; a table with the accords IRIs shortened."""
    if resolve_format(fmt) == "table":
        from accords.graph.terms import short

        def cell(v: Any) -> Any:
            return short(v) if isinstance(v, str) and v.startswith("https://w3id.org/accords/") else v

        rows = [{k: cell(v) for k, v in row.items()} for row in rows]
    render(rows, columns, fmt)


CLOCKS = ("as_of", "known_by", "valid_at")


def clock_values(at: View, head_seq: int) -> dict[str, Any]:
    """$as_of, $known_by and $valid_at of the view at: a seq (default: head_seq, the one the
    graph reflects), and two dates or null."""
    values = {name: getattr(at, name) for name in CLOCKS}
    if values["as_of"] is None:
        values["as_of"] = head_seq
    return values


def reads_clocks(text: str) -> bool:
    """Whether a Cypher query reads any of the clocks."""
    return any(re.search(rf"\${name}\b", text) for name in CLOCKS)


def refuse_unread_clocks(at: View, text: str) -> None:
    """An ad-hoc query given a clock it never reads would ignore it silently: InputError."""
    for name in CLOCKS:
        if getattr(at, name) is not None and not re.search(rf"\${name}\b", text):
            option = "--" + name.replace("_", "-")
            raise InputError(
                f"{option}: the query never reads ${name}, so it cannot answer at that point",
                "place claims in time with the predicates in accords cypher --help",
            )


@click.command()
@click.argument("query", required=False)
@click.option("--file", "-f", "file", type=click.File("r"), help="Read the query from a file.")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind $NAME to the string VALUE (repeatable); convert in Cypher: toInteger($n), date($d).",
)
@click.option("--as-of", metavar="SEQ", help="Bind $as_of to SEQ (default: the seq the graph reflects).")
@click.option("--known-by", metavar="DATE", help="Bind $known_by to DATE (default: null).")
@click.option("--valid-at", metavar="DATE", help="Bind $valid_at to DATE (default: null).")
@neo4j_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(CYPHER_FORMATS),
    default=None,
    help="table on a terminal, json when piped; jsonl, csv, tsv.",
)
def cypher(
    query: str | None,
    file: IO[str] | None,
    params: tuple[str, ...],
    as_of: str | None,
    known_by: str | None,
    valid_at: str | None,
    neo4j: Any,
    fmt: str | None,
) -> None:
    """Run a read-only Cypher query on the projected graph; writes are refused.

    Parameters are bound by the driver, never pasted into the text. The clocks are
    always bound, so one query answers now and at any point: $as_of (a seq),
    $known_by and $valid_at (dates, or null when not given); a clock option the query
    never reads is refused. A claim c is in view when

    \b
      c.seq <= $as_of
      AND ($known_by IS NULL OR c.published_latest <= $known_by)
      AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true)
                                 AND coalesce(c.valid_until >= $valid_at, true)))

    and believed when also c.polarity = 'affirmed' AND coalesce(c.retracted_seq,
    $as_of + 1) > $as_of. A node or relationship x is believed when one of the claims
    in x.claims is; by record time alone, when any(i IN range(0,
    size(x.believed_from)-1) WHERE x.believed_from[i] <= $as_of AND
    coalesce(x.believed_until[i], $as_of + 1) > $as_of). A node's own properties
    (a stance's position, say) hold what the record believes now; what a claim said
    at any time is the value of its STATES relationship (c)-[:STATES {property}]->(x).

    \b
    Example:
      accords cypher 'MATCH (a:Agreement)-[:PARTY]->(s:State) RETURN a.iri, s.label'
      accords cypher -f trace.cypher -p iri=https://w3id.org/accords/id/agreement/us-rw
      accords cypher --as-of 40 'MATCH (c:Claim) WHERE c.seq <= $as_of RETURN count(c)'
    """
    from accords.graph.neo4j import Neo4jProjection
    from accords.graph.projection import View, clock_date

    if as_of is not None and not as_of.isdigit():
        raise InputError(f"--as-of: {as_of!r} is not a seq", "Cypher time travel is by seq: --as-of 40")
    at = View(
        None if as_of is None else int(as_of), clock_date(known_by, "--known-by"), clock_date(valid_at, "--valid-at")
    )
    text = query_text(query, file)
    refuse_unread_clocks(at, text)
    graph = connect(neo4j)
    values: dict[str, Any] = dict(parse_params(params))
    head = Neo4jProjection(graph).head().seq
    if at.as_of is not None and at.as_of > head:
        raise InputError(
            f"--as-of: seq {at.as_of} is past what Neo4j reflects (seq {head})",
            "run accords project neo4j to catch up, or give a smaller seq",
        )
    values.update(clock_values(at, head))
    columns, rows = graph.read(text, values)
    show(columns, rows, fmt)


def parameter(param: Any, text: str) -> Any:
    """A named query's parameter as a Cypher value: IRIs in full, dates, integers, strings."""
    import pyoxigraph as ox

    from accords.queries.library import sparql_value

    term = sparql_value(param, text)  # the same checks as the SPARQL form
    if isinstance(term, ox.NamedNode):
        return term.value
    if param.type == "date":
        import datetime as dt

        return dt.date.fromisoformat(text)
    return int(text) if param.type == "integer" else text


def run_named(named: Any, values: dict[str, str], at: View, neo4j: Any, store: str | None, fmt: str | None) -> None:
    """accords query NAME --engine cypher: the .cypher form, with the clocks of the view at bound."""
    from accords.graph.neo4j import Neo4jProjection

    if named.cypher is None:
        raise InputError(f"{named.name} has no Cypher form", "run it with --engine sparql")
    by_name = {p.name: p for p in named.params}
    bound: dict[str, Any] = {k: parameter(by_name[k], v) for k, v in values.items()}
    graph = connect(neo4j)
    head = Neo4jProjection(graph).head()
    try:
        log_seq = open_record(store).head.seq
    except InputError:
        log_seq = None
    if log_seq is not None and log_seq != head.seq:
        say(
            f"note: Neo4j reflects seq {head.seq}, the log is at {log_seq}: run accords project neo4j to catch up",
            err=True,
        )
    if not reads_clocks(named.cypher):
        refuse_unread_clocks(at, named.cypher)  # contradictions: the judgement at the graph's head
    bound.update(clock_values(at, head.seq))  # every named query's clocks: tests/neo4j_projection
    columns, rows = graph.read(named.cypher, bound)
    show(columns, rows, fmt if fmt in CYPHER_FORMATS else None)
