"""The validate command: graph shapes over the record now, at a point of the clocks, or over time."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from accords.options import clock_options, clocks, open_record, store_option
from accords.output import format_option, render, resolve_format, say

COLUMNS = ["severity", "shape", "focus", "path", "value", "message"]
TIME_COLUMNS = [*COLUMNS, "introduced", "resolved"]


def _short(term: Any) -> str | None:
    """A term as a person reads it: state/RW, acc:party, claim/3f9a1c2b…, a literal's text."""
    import pyoxigraph as ox

    from accords.graph.terms import short

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return short(term.value)
    return term.value if isinstance(term, ox.Literal) else str(term)


def _row(result: Any, owners: dict[str, str]) -> dict[str, Any]:
    shape = owners.get(result.shape, result.shape)
    row = {
        "severity": result.severity,
        "shape": shape.replace("https://w3id.org/accords/shapes#", "accsh:"),
        "focus": _short(result.focus),
        "path": _short(result.path),
        "value": _short(result.value),
        "message": result.message,
    }
    row.update({name: _short(term) for name, term in result.details})
    return row


def _event(at: tuple[int, str | None] | None) -> str:
    if at is None:
        return "still open"
    return f"seq {at[0]}" + (f" ({at[1]})" if at[1] else "")


def _summary(rows: list[dict[str, Any]], head: str, over_time: bool) -> None:
    counts = [(sum(1 for r in rows if r["severity"] == s), s.lower()) for s in ("Violation", "Warning", "Info")]
    say(", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counts) + f" ({head})")
    for r in rows:
        where = f" · {r['path']}" if r["path"] else ""
        say(f"{r['severity']:<9} {r['focus']}{where}: {r['message']}")
        if over_time:
            end = "still open" if r["resolved"] == "still open" else f"resolved at {r['resolved']}"
            say(f"          introduced at {r['introduced']}, {end}")


def _turtle(results: list[Any], seq: int, hash_: str) -> None:
    import pyoxigraph as ox

    from accords.graph.terms import PREFIXES, XSD, acc

    sh = "http://www.w3.org/ns/shacl#"
    report = ox.BlankNode()
    triples = [
        ox.Triple(report, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(sh + "ValidationReport")),
        ox.Triple(
            report,
            ox.NamedNode(sh + "conforms"),
            ox.Literal(
                "false" if any(r.severity == "Violation" for r in results) else "true",
                datatype=ox.NamedNode(XSD + "boolean"),
            ),
        ),
        ox.Triple(report, acc("headSeq"), ox.Literal(str(seq), datatype=ox.NamedNode(XSD + "integer"))),
        ox.Triple(report, acc("headHash"), ox.Literal(hash_)),
    ]
    for r in results:
        node = ox.BlankNode()
        triples += [
            ox.Triple(report, ox.NamedNode(sh + "result"), node),
            ox.Triple(node, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(sh + "ValidationResult")),
            ox.Triple(node, ox.NamedNode(sh + "focusNode"), r.focus),
            ox.Triple(node, ox.NamedNode(sh + "resultSeverity"), ox.NamedNode(sh + r.severity)),
            ox.Triple(node, ox.NamedNode(sh + "resultMessage"), ox.Literal(r.message)),
            ox.Triple(
                node,
                ox.NamedNode(sh + "sourceConstraintComponent"),
                ox.NamedNode(sh + r.constraint + "ConstraintComponent"),
            ),
        ]
        if not r.shape.startswith("_:"):
            triples.append(ox.Triple(node, ox.NamedNode(sh + "sourceShape"), ox.NamedNode(r.shape)))
        if r.path is not None:
            triples.append(ox.Triple(node, ox.NamedNode(sh + "resultPath"), r.path))
        if r.value is not None:
            triples.append(ox.Triple(node, ox.NamedNode(sh + "value"), r.value))
    prefixes = {**PREFIXES, "sh": sh, "accsh": "https://w3id.org/accords/shapes#"}
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    sys.stdout.write(text.decode() if text else "")


@click.command()
@clock_options
@click.option(
    "--shapes",
    "shapes_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="More shapes (Turtle), checked with the built-in ones.",
)
@click.option("--over-time", is_flag=True, help="Walk the history: when each finding appeared and when it went away.")
@store_option
@format_option("summary", "table", "json", "turtle")
def validate(
    as_of: str | None,
    known_by: str | None,
    valid_at: str | None,
    shapes_file: Path | None,
    over_time: bool,
    store: str | None,
    fmt: str | None,
) -> None:
    """Check the record against the graph shapes; exit 1 when there is a violation.

    Severities: Violation (the record is wrong: an agreement with fewer than two
    parties, a lifecycle out of order, a belief no active sourced claim supports, a
    source without publisher), Warning (a lead: a transfer with no agreement in force on
    its date, a payment with no agreement, a claim on one source that the state denies),
    Info (a disagreement between sources, as accords query contradictions finds it, with
    every side; a page with no date).

    \b
    Example:
      accords validate
      accords validate --as-of 120 --format table
      accords validate --shapes my-rules.ttl --format turtle > report.ttl
      accords validate --over-time --format json
    """
    from accords.graph.validation import builtin_shapes, load_shapes

    shapes = builtin_shapes() + load_shapes(shapes_file) if shapes_file else builtin_shapes()
    owners = shapes.owners()
    chosen = fmt or ("summary" if sys.stdout.isatty() else "json")
    if over_time and chosen == "turtle":
        raise click.UsageError("--over-time reports events; use --format summary, table or json")
    record = open_record(store)
    at = clocks(record, as_of, known_by, valid_at)
    if over_time:
        spans = record.validate_over_time(**at, shapes=shapes)
        rows = [
            {**_row(s.result, owners), "introduced": _event(s.introduced), "resolved": _event(s.resolved)}
            for s in spans
        ]
        head = f"history to seq {record.view(**at).as_of or record.head.seq}"
        violated = any(s.result.severity == "Violation" and s.resolved is None for s in spans)
        columns = TIME_COLUMNS
    else:
        results, log_head = record.validate(**at, shapes=shapes)
        if chosen == "turtle":
            _turtle(results, log_head.seq, log_head.hash)
        rows = [_row(r, owners) for r in results]
        head = f"graph at seq {log_head.seq}, {log_head.hash[:12]}"
        violated = any(r.severity == "Violation" for r in results)
        columns = COLUMNS
    if chosen == "summary":
        _summary(rows, head, over_time)
    elif chosen != "turtle":
        render(rows, columns, resolve_format(chosen))
    if violated:
        click.get_current_context().exit(1)
