"""Commands that walk history: replay and diff."""

from __future__ import annotations

import sys

import click

from accords.options import open_record, store_option
from accords.output import format_option, render, say


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
    rows = open_record(store).replay(start, stop)
    if fmt in ("json", "jsonl") or (fmt is None and not sys.stdout.isatty()):
        render(rows, ["seq", "type", "key", "event", "added", "removed"], fmt)
        return
    for row in rows:
        say(f"seq {row['seq']} {row['type']} {row['key'] or ''}  {row['event']}")
        for line in row["added"]:
            say(f"  + {line}")
        for line in row["removed"]:
            say(f"  - {line}")


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
    rows = open_record(store).diff(a, b)
    render(rows, ["change", "statement", "claims"], fmt)
