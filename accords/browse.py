"""Commands that read the log: log and show."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click

from accords.events.listing import named, summary
from accords.events.schema import SCHEMAS
from accords.options import open_record, store_option
from accords.output import format_option, render, write_json

LOG_COLUMNS = ("seq", "type", "key", "id", "recorded_at", "recorded_by", "signed", "summary")


@click.command("log")
@click.option(
    "--type", "types", multiple=True, type=click.Choice(list(SCHEMAS)), help="Only events of this type (repeatable)."
)
@click.option("--source", help="Only the source (key or id), the events citing it, and those about its claims.")
@click.option("--from-seq", type=int, default=1, help="First seq.")
@click.option("--to-seq", type=int, default=None, help="Last seq.")
@click.option("--since", help="Recorded at or after (ISO 8601, UTC).")
@click.option("--until", help="Recorded at or before (ISO 8601, UTC).")
@store_option
@format_option()
def log_(
    types: tuple[str, ...],
    source: str | None,
    from_seq: int,
    to_seq: int | None,
    since: str | None,
    until: str | None,
    store: str | None,
    fmt: str | None,
) -> None:
    """List events in log order, with filters.

    \b
    Example:
      accords log --type ClaimRecorded --source src-seed
      accords log --from-seq 10 --to-seq 20 --format jsonl
      accords log --since 2025-06-01 --until 2025-06-30T12:00:00Z
    """
    record = open_record(store)
    events = record.events(types, source=source, from_seq=from_seq, to_seq=to_seq, since=since, until=until)
    name = named(record.log)
    ledger = record.ledger()
    rows: Iterator[dict[str, Any]] = (
        {
            "seq": e.seq,
            "type": e.type,
            "key": e.key,
            "id": e.id[:12],
            "recorded_at": e.recorded_at,
            "recorded_by": e.recorded_by,
            "signed": ledger.signer(e.seq, record.recorder),
            "summary": summary(e, name),
        }
        for e in events
    )
    render(rows, LOG_COLUMNS, fmt)


@click.command()
@click.argument("ref")
@store_option
def show(ref: str, store: str | None) -> None:
    """Show one event whole: by key, id, an unambiguous id prefix, or seq; and who signed it.

    A number is a seq unless it is also a key or the start of an id (then `accords log
    --from-seq N --to-seq N` names it).

    \b
    Example:
      accords show c-rwanda-paid
      accords show 3f9a1c2b
      accords show 42
    """
    record = open_record(store)
    event = record.event(ref)
    write_json({**event.envelope(), "signed": record.ledger().signer(event.seq, record.recorder)})
