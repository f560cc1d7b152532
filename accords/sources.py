"""The sources command: what the record's sources suggest about wire copy (events/wirecopy.py)."""

from __future__ import annotations

import click

from accords.options import open_record, store_option
from accords.output import format_option, render


@click.group()
def sources() -> None:
    """What the record's sources say about where their text comes from.

    \b
    Example:
      accords sources suggest --format table
    """


@sources.command("suggest")
@click.option(
    "--threshold",
    type=click.IntRange(50, 100),
    default=90,
    show_default=True,
    help="How alike two quotes must be (of 100) for one page to be suggested as carrying the other's text.",
)
@store_option
@format_option()
def suggest(threshold: int, store: str | None, fmt: str | None) -> None:
    """Derivations the sources suggest: wire copy and republished text.

    A source whose title, publisher, author or note names a news agency ("(AFP)",
    "Reuters copy", "By Associated Press"), or one of whose claims quotes it ("told AFP",
    "MBABANE (Reuters)"), is suggested to carry that agency's copy; two claims about one
    thing whose quotes are near-duplicates (rapidfuzz's ratio, quotes of eight words or
    more) suggest the later page carries the earlier one's text, or both one upstream's.
    Sources that already derive from the upstream are not listed. Nothing is recorded: a
    derivation you judge right goes in the source's `derived_from` ("actor/afp", or the
    upstream source) when it is registered, and counts its copies once in `trace`,
    `contradictions` and `single-source-claims`.

    \b
    Example:
      accords sources suggest --format table
      accords sources suggest --threshold 95 --format csv > suggestions.csv
    """
    found = open_record(store).suggest_derivations(threshold)
    rows = [{"source": s.source, "derived from": s.upstream, "why": s.why, "score": s.score} for s in found]
    render(rows, ("source", "derived from", "why", "score"), fmt)
