"""Commands that walk history: replay and diff."""

from __future__ import annotations

from typing import Any

import click

from accords.options import open_recorder, store_option
from accords.output import format_option, render


def _describe(triple: Any, labels: Any) -> str:
    s, p, o = triple
    return f"{labels(s)} · {labels(p)} · {labels(o)}"


def _claims(triple: Any, store: Any) -> str:
    """The claims whose statement holds triple (by key, else short id): what to trace."""
    import pyoxigraph as ox

    from accords.graph.terms import ID, PROVENANCE, acc, short

    s, p, o = triple
    names = set()
    for quad in store.quads_for_pattern(s, p, o, None):
        claim = quad.graph_name
        if isinstance(claim, ox.NamedNode) and claim.value.startswith(ID + "claim/"):
            keys = list(store.quads_for_pattern(claim, acc("key"), None, PROVENANCE))
            names.add(keys[0].object.value if keys else short(claim.value))
    return ", ".join(sorted(names))


@click.command()
@click.option("--from", "start", type=int, default=1, help="First seq to show.")
@click.option("--to", "stop", type=int, default=None, help="Last seq to show.")
@store_option
@format_option("table", "json", "jsonl")
def replay(start: int, stop: int | None, store: str | None, fmt: str | None) -> None:
    """Step through history: what each event changed in what the record believes.

    \b
    Example:
      accords replay
      accords replay --from 40 --to 60 --format jsonl
    """
    from accords.browse import summary
    from accords.graph.projection import Projection
    from accords.graph.labels import Labels

    recorder = open_recorder(store)
    projection = Projection.memory()
    labels = Labels(projection.store)
    rows: list[dict[str, Any]] = []

    def step(event: Any, delta: Any) -> None:
        if event.seq < start:
            return
        rows.append({
            "seq": event.seq, "type": event.type, "key": event.key, "event": summary(event),
            "added": [_describe(t, labels) for t in delta.added],
            "removed": [_describe(t, labels) for t in delta.removed],
        })  # fmt: skip

    projection.fold(recorder.read(1, stop), track=True, on_event=step)
    if fmt in ("json", "jsonl") or (fmt is None and not click.get_text_stream("stdout").isatty()):
        render(rows, ["seq", "type", "key", "event", "added", "removed"], fmt)
        return
    for row in rows:
        click.echo(f"seq {row['seq']} {row['type']} {row['key'] or ''}  {row['event']}")
        for line in row["added"]:
            click.echo(f"  + {line}")
        for line in row["removed"]:
            click.echo(f"  - {line}")


@click.command()
@click.argument("a")
@click.argument("b")
@store_option
@format_option("table", "json", "csv", "tsv")
def diff(a: str, b: str, store: str | None, fmt: str | None) -> None:
    """What the record believed at B that it did not at A (gained), and the reverse (lost).

    A and B are points of record time: a seq or a UTC time. Each row names the claims
    that said it (at B for what was gained, at A for what was lost), to trace.

    \b
    Example:
      accords diff 10 42
      accords diff 2025-05-01 2025-06-01T12:00:00Z --format csv
    """
    from accords.graph.projection import parse_view, view
    from accords.graph.labels import Labels
    from accords.graph.terms import BELIEF

    recorder = open_recorder(store)
    sides = []
    for point in (a, b):
        projection = view(recorder, parse_view(point, None, None, recorder))
        sides.append(projection)
    beliefs = [
        {(q.subject, q.predicate, q.object) for q in p.store.quads_for_pattern(None, None, None, BELIEF)}
        for p in sides
    ]
    labels = Labels(sides[1].store)
    rows = [{"change": "gained", "statement": _describe(t, labels), "claims": _claims(t, sides[1].store)}
            for t in beliefs[1] - beliefs[0]]  # fmt: skip
    rows += [{"change": "lost", "statement": _describe(t, Labels(sides[0].store)), "claims": _claims(t, sides[0].store)}
             for t in beliefs[0] - beliefs[1]]  # fmt: skip
    rows.sort(key=lambda r: (r["change"], r["claims"], r["statement"]))
    render(rows, ["change", "statement", "claims"], fmt)


COMMANDS = [replay, diff]
