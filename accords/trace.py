"""The trace command: the claims for and against an entity, a claim or a statement."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import click

from accords.options import clock_options, clocks, open_record, store_option
from accords.output import format_option, render, resolve_format, say, write_json

if TYPE_CHECKING:
    from accords.graph.sourcing import Capture

COLUMNS = ("seq", "claim", "stance", "status", "statements", "quote", "source", "speaker", "recorded")


@click.command()
@click.argument("target")
@clock_options
@store_option
@format_option("table", "json")
def trace(
    target: str,
    as_of: str | None,
    known_by: str | None,
    valid_at: str | None,
    store: str | None,
    fmt: str | None,
) -> None:
    """Every claim for or against an entity, a claim or a statement, and where each came from.

    TARGET is an entity (state/RW, agreement/us-rw), a claim (key, id or id prefix) or
    a statement as JSON. The summary counts the active supporting claims and the
    independent sources behind them: sources derived from one upstream report count once.
    Traced from a claim, a claim whose valid time cannot meet its own (a position held
    until June, another from August) is shown as "other time" and counted on neither side.
    Claims are listed by publication, earliest first; where a side (a state, or an actor
    that speaks for itself) took a position more than once on a question, its latest word
    is marked, and the earlier words it supersedes (accords query latest-word).

    \b
    Example:
      accords trace agreement/us-rw
      accords trace c-rwanda-paid --format json
      accords trace '{"@id": "agreement/us-rw", "@type": "Agreement", "parties": ["state/US", "state/RW"]}'
      accords trace state/PE --as-of 2025-07-01
    """
    record = open_record(store)
    result = record.trace(target, **clocks(record, as_of, known_by, valid_at))
    if resolve_format(fmt) == "json":
        write_json(dataclasses.asdict(result))
        return
    rows = [
        {
            "seq": c.seq,
            "claim": c.key or c.id,
            "stance": c.stance + (f"\n{c.word}" if c.word else ""),
            "status": c.status
            + (f" ({c.reason}: {c.note})" if c.note else f" ({c.reason})" if c.reason else "")
            + (f" by {c.corrected_by}" if c.corrected_by else "")
            + (f"\nreviewed: {c.reviews}" if c.reviews else ""),
            "statements": "\n".join(c.statements + [f"conflicts: {n}" for n in c.conflicts]),
            "quote": c.quote,
            "source": f"{c.source} ({c.publisher or '?'}, {c.published or '?'})"
            + (f"\n{c.source_key}" if c.source_key else "")
            + (f"\n{c.source_url}" if c.source_url else "")
            + ("\nWITHDRAWN by its publisher" if c.source_withdrawn else "")
            + (f"\nflagged: {c.source_flags}" if c.source_flags else "")
            + ("\nrests only on flagged sources" if c.flagged_only else "")
            + "".join(f"\n{captured(k)}" for k in c.captures),
            "speaker": c.speaker,
            "recorded": f"{c.recorded_at} by {c.recorder}\n{c.signed}",
        }
        for c in result.claims
    ]
    render(rows, COLUMNS, "table")
    backing = [c for c in result.claims if c.status == "active" and c.stance == "supporting"]
    withdrawn = sum(c.source_withdrawn for c in backing)
    flagged = sum(c.flagged_only for c in backing)
    say(
        f"{result.kind} {result.target}: {_count(result.supporting_active, 'active supporting claim')} "
        f"from {_count(result.independent_sources, 'independent source')}"
        + (f" ({withdrawn} resting on a source its publisher withdrew)" if withdrawn else "")
        + (
            " (every one resting only on flagged sources)"
            if backing and flagged == len(backing)
            else f" ({flagged} resting only on flagged sources)"
            if flagged
            else ""
        )
        + f"; {_count(result.contradicting_active, 'active contradicting claim')}"
    )


def captured(capture: Capture) -> str:
    """What a capture of the claim's source says of its quote, in words."""
    if capture.quote == "unavailable":
        return f"the capture of {capture.captured} is missing or altered in the store (accords verify says which)"
    return f"quote {capture.quote.upper() if capture.quote == 'not found' else capture.quote} in the capture of {capture.captured}"


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")
