"""One renderer for every command: table on a terminal, JSON when piped, or as chosen."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import click
import orjson

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "json", "jsonl", "csv", "tsv")


def format_option(*choices: str) -> Callable[[F], F]:
    """The --format option: one choice among the formats a command can write."""
    option: Callable[[F], F] = click.option(
        "--format",
        "fmt",
        type=click.Choice(choices or FORMATS),
        default=None,
        help="Output format (default: table on a terminal, json when piped).",
    )
    return option


def resolve_format(fmt: str | None) -> str:
    return fmt or ("table" if sys.stdout.isatty() else "json")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return orjson.dumps(value).decode()
    return str(value)


def render(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], fmt: str | None) -> None:
    """Write rows (dicts) in fmt; jsonl and csv stream, table and json collect first."""
    fmt = resolve_format(fmt)
    out = sys.stdout
    if fmt == "jsonl":
        for row in rows:
            out.write(orjson.dumps(dict(row)).decode() + "\n")
    elif fmt == "json":
        out.write(orjson.dumps([dict(r) for r in rows], option=orjson.OPT_INDENT_2).decode() + "\n")
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
    else:
        write_table(rows, columns)


def write_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> None:
    """A plain-text table that reads the same on a terminal, in a pipe and in the README."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(escape(_cell(row.get(c))) for c in columns))  # "[statement]" is text, not a style
    width = 200 if not sys.stdout.isatty() else None
    Console(file=sys.stdout, width=width, soft_wrap=False).print(table)


def write_json(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")
