"""The log as a person lists it: filtered by type, source, seq and record time, one line per event."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator

from accords.events.errors import InputError
from accords.events.log import Log
from accords.events.model import Event, parse_timestamp, timestamp
from accords.events.signatures import fingerprint


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
        return f'{types}: "{quote}"'
    if event.type in ("ClaimRetracted", "ClaimCorrected", "ClaimReviewed"):
        return f"{name(body['claim'])}: {body.get('reason') or body.get('rating')}"
    if event.type == "SourceCorrected":
        return f"{name(body['source'])}: {body['correction']}"
    if event.type == "EntitiesMerged":
        return " = ".join(body["entities"])
    if event.type == "SourceAssessed":
        return f"{name(body['source'])}: {', '.join(body['flags']) or 'no flags'} (by {body['assessor']})"
    if event.type == "SourceCaptured":
        return (
            f"{name(body['source'])}: {body['media_type']} captured {body['captured']} (sha256 {body['sha256'][:12]})"
        )
    if event.type == "KeyRegistered":
        return f"{body['name']} ({fingerprint(base64.b64decode(body['public_key']))})"
    if event.type == "KeyRevoked":
        return f"{name(body['key'])}: {body['reason']}"
    if event.type == "EventsSigned":
        return f"seq {body['first']}-{body['last']} with key {name(body['key'])}"
    if event.type == "PersonErased":
        return f"{body['person']}: {body['reason']}"
    if event.type == "DerivationJudged":
        upstreams = ", ".join(u if u.startswith("actor/") else name(u) for u in body["derived_from"])
        return f"{name(body['source'])} from {upstreams}: {body['reason']}"
    if event.type == "DerivationUndone":
        return f"{name(body['judgement'])}: {body['reason']}"
    return str(body.get("reason", ""))


def _mentions(event: Event, source_id: str, claims: set[str]) -> bool:
    """Whether event is the source, cites it, or concerns a claim citing it (in claims,
    which this adds such claims to, so that it must see the log in order)."""
    body = event.data()
    if event.id == source_id or source_id in (
        body.get("source"),
        *body.get("derived_from", ()),
        *body.get("sources", ()),
    ):
        if event.type == "ClaimRecorded":
            claims.add(event.id)
        return True
    return body.get("claim") in claims or body.get("replacement") in claims


def named(log: Log) -> Callable[[str], str]:
    """An event's key, looked up by its full id; its id's first 12 characters if it has none."""

    def name(id_: str) -> str:
        found = log.store.lookup(id_)
        return (found[0].key or id_[:12]) if found else id_[:12]

    return name


def record_time(text: str | None, option: str) -> str | None:
    """An ISO 8601 date or time as the log stores record times; InputError naming the option."""
    if text is None:
        return None
    try:
        return timestamp(parse_timestamp(text if "T" in text else text + "T00:00:00Z"))
    except ValueError:
        raise InputError(f"{option}: {text!r} is not an ISO 8601 date or time") from None


def filtered(
    log: Log,
    types: tuple[str, ...],
    source: str | None,
    start: int,
    stop: int | None,
    since: str | None,
    until: str | None,
) -> Iterator[Event]:
    """The events of the log that pass every filter given, in log order (since and until are
    record times as record_time gives them)."""
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
