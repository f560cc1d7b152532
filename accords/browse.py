"""Commands that read the log: log and show."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import click

from accords.errors import InputError
from accords.events.log import Log
from accords.events.model import Event, parse_timestamp, timestamp
from accords.events.schema import SCHEMAS
from accords.options import open_record, store_option
from accords.output import format_option, render, write_json

LOG_COLUMNS = ("seq", "type", "key", "id", "recorded_at", "recorded_by", "summary")


def summary(event: Event, name: Callable[[str], str] = lambda id_: id_[:12]) -> str:
    """A line a person can scan: a source's title, a claim's statement type and quote.

    name gives how an event the body refers to (by full id) is shown: by default its id's
    first 12 characters."""
    body = event.data()
    if event.type == "SourceRegistered":
        return f"{body['title']} ({body.get('publisher', '?')}, {body.get('published', '?')})"
    if event.type == "ClaimRecorded":
        quote = body["quote"]
        quote = quote if len(quote) <= 80 else quote[:77] + "..."
        statement = body["statement"]
        types = "+".join(node["@type"] for node in (statement if isinstance(statement, list) else [statement]))
        return f"{types}: \"{quote}\""
    if event.type in ("ClaimRetracted", "ClaimCorrected", "ClaimReviewed"):
        return f"{name(body['claim'])}: {body.get('reason') or body.get('rating')}"
    if event.type == "SourceCorrected":
        return f"{name(body['source'])}: {body['correction']}"
    if event.type == "EntitiesMerged":
        return " = ".join(body["entities"])
    return str(body.get("reason", ""))


def _mentions(event: Event, source_id: str, claims: set[str]) -> bool:
    """Whether event is the source, cites it, or concerns a claim citing it (in claims,
    which this adds such claims to, so that it must see the log in order)."""
    body = event.data()
    if event.id == source_id or source_id in (
        body.get("source"), *body.get("derived_from", ()), *body.get("sources", ())
    ):  # fmt: skip
        if event.type == "ClaimRecorded":
            claims.add(event.id)
        return True
    return body.get("claim") in claims or body.get("replacement") in claims


def _named(log: Log) -> Callable[[str], str]:
    """An event's key, looked up by its full id; its id's first 12 characters if it has none."""

    def name(id_: str) -> str:
        found = log.store.lookup(id_)
        return (found[0].key or id_[:12]) if found else id_[:12]

    return name


def _time(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    try:
        return timestamp(parse_timestamp(text if "T" in text else text + "T00:00:00Z"))
    except ValueError:
        raise InputError(f"{option}: {text!r} is not an ISO 8601 date or time") from None


def filtered(
    log: Log, types: tuple[str, ...], source: str | None, start: int, stop: int | None,
    since: str | None, until: str | None,
) -> Iterator[Event]:  # fmt: skip
    source_id = log.find(source).id if source else None
    claims: set[str] = set()  # of the source, from seq 1: a retraction names only its claim
    for event in log.read(1 if source_id else start, stop):
        if source_id and not _mentions(event, source_id, claims):
            continue
        if event.seq < start or types and event.type not in types:
            continue
        if since and event.recorded_at < since:
            continue
        if until and event.recorded_at > until:
            break
        yield event


@click.command("log")
@click.option("--type", "types", multiple=True, type=click.Choice(list(SCHEMAS)), help="Only events of this type (repeatable).")
@click.option("--source", help="Only the source (key or id), the events citing it, and those about its claims.")
@click.option("--from-seq", type=int, default=1, help="First seq.")
@click.option("--to-seq", type=int, default=None, help="Last seq.")
@click.option("--since", help="Recorded at or after (ISO 8601, UTC).")
@click.option("--until", help="Recorded at or before (ISO 8601, UTC).")
@store_option
@format_option()
def log_(
    types: tuple[str, ...], source: str | None, from_seq: int, to_seq: int | None,
    since: str | None, until: str | None, store: str | None, fmt: str | None,
) -> None:  # fmt: skip
    """List events in log order, with filters.

    \b
    Example:
      accords log --type ClaimRecorded --source src-seed
      accords log --from-seq 10 --to-seq 20 --format jsonl
      accords log --since 2025-06-01 --until 2025-06-30T12:00:00Z
    """
    log = open_record(store).log
    events = filtered(log, types, source, from_seq, to_seq,
                      _time(since, "--since"), _time(until, "--until"))  # fmt: skip
    rows: Iterator[dict[str, Any]] = (
        {"seq": e.seq, "type": e.type, "key": e.key, "id": e.id[:12],
         "recorded_at": e.recorded_at, "recorded_by": e.recorded_by, "summary": summary(e, _named(log))}
        for e in events
    )  # fmt: skip
    render(rows, LOG_COLUMNS, fmt)


@click.command()
@click.argument("ref")
@store_option
def show(ref: str, store: str | None) -> None:
    """Show one event whole: by key, id, an unambiguous id prefix, or seq.

    A number is a seq unless it is also a key or the start of an id (then `accords log
    --from-seq N --to-seq N` names it).

    \b
    Example:
      accords show c-rwanda-paid
      accords show 3f9a1c2b
      accords show 42
    """
    log = open_record(store).log
    if ref.isdigit() and not log.store.lookup(ref):
        event = next(log.read(int(ref), int(ref)), None)
        if event is None:
            raise InputError(f"no event {ref!r} in {log.store.url}: the log ends at seq {log.store.head().seq}")
        write_json(event.envelope())
        return
    write_json(log.find(ref).envelope())


COMMANDS = [log_, show]
