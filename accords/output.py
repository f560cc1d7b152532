"""One renderer for every command: table on a terminal, JSON when piped, or as chosen.

What the record holds comes from the open web, so what is written for a person is made
harmless here, for every command: control characters (an escape sequence can clear the
screen, retitle the window or plant a link) and bidirectional overrides are shown as
escapes (``\x1b``, ``\u202e``) in tables and messages; a CSV or TSV cell that a
spreadsheet would run as a formula (it begins with =, +, -, @, a tab or a carriage return)
is prefixed with ' (the OWASP guidance on CSV injection). JSON and JSONL stay exact.
"""

from __future__ import annotations

import csv
import io
import re
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
        help="Output format (default: table on a terminal, json when piped). CSV and TSV cells that a "
        "spreadsheet would run as formulas (=, +, -, @ first) get a leading '; json is exact.",
    )
    return option


def resolve_format(fmt: str | None) -> str:
    return fmt or ("table" if sys.stdout.isatty() else "json")


# C0 and C1 controls but the line feed and the tab, DEL, and the marks that reorder text.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def visible(text: str) -> str:
    """Text as it may reach a person's terminal: each control character an escape."""
    return _HIDDEN.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


def say(text: str = "", err: bool = False) -> None:
    """A line for a person, on stdout or stderr: every message a command writes."""
    click.echo(visible(text), err=err)


def _spreadsheet(cell: str) -> str:
    """A CSV or TSV cell a spreadsheet will not run as a formula."""
    return "'" + cell if cell.startswith(_FORMULA) else cell


def spreadsheet_csv(data: bytes) -> bytes:
    """SPARQL CSV results as the engine writes them, each cell a spreadsheet would run as
    a formula given a leading ' (its TSV results quote every text, so need none)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # SPARQL CSV's line ends
    for row in csv.reader(io.StringIO(data.decode("utf-8"), newline="")):
        writer.writerow([_spreadsheet(cell) for cell in row])
    return out.getvalue().encode("utf-8")


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
        writer.writerow([_spreadsheet(c) for c in columns])
        for row in rows:
            writer.writerow([_spreadsheet(_cell(row.get(c))) for c in columns])
    else:
        write_table(rows, columns)


def write_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> None:
    """A plain-text table that reads the same on a terminal, in a pipe and in the README."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold")
    for column in columns:
        table.add_column(escape(visible(column)), overflow="fold")
    for row in rows:
        table.add_row(*(escape(visible(_cell(row.get(c)))) for c in columns))  # "[statement]" is text, not a style
    width = 200 if not sys.stdout.isatty() else None
    Console(file=sys.stdout, width=width, soft_wrap=False).print(table)


def write_json(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")
