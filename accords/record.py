"""Commands that write the log: init, record, import, export, retract, correct."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import click

from accords.api import SEED
from accords.events.errors import InputError
from accords.events.files import parse_json, read_one
from accords.events.log import Appended, Draft
from accords.events.model import Event
from accords.events.schema import REASONS, SCHEMAS
from accords.events.store import Ref
from accords.options import (
    by_option,
    chosen_store,
    clock_options,
    clocks,
    dry_run_option,
    expected_head_option,
    open_record,
    processes_option,
    store_option,
)
from accords.output import format_option, render, say


@click.command()
@store_option
def init(store: str | None) -> None:
    """Create an empty log (a SQLite file, or the tables in a PostgreSQL database).

    Running it on an existing store changes nothing.

    \b
    Example:
      accords init --store investigation.db
      accords init --store postgresql://me@localhost/accords
    """
    from accords.events import witness

    url = chosen_store(store)
    made = not url.startswith(("postgresql://", "postgres://")) and not Path(url).exists()
    record = open_record(store, create=True)
    say(f"store {record.recorder.url}: {record.head.seq} events")
    if made and (gone := witness.forget(record.recorder)) is not None:  # a new file where a log was, by your hand
        say(f"a log was here before (seen at seq {gone.seq} on {gone.when}): verify now holds this new one", err=True)


def _field_value(name: str, text: str, boolean: bool) -> Any:
    """A --field value: JSON for objects and lists, and for true/false in a yes-or-no
    field (a rating of "true" is text); text otherwise."""
    if text[:1] in ("{", "[") or boolean and text in ("true", "false"):
        return parse_json(text.encode(), f"--field {name}")
    return text


def _report(appended: Appended, fmt: str | None, written: bool = True) -> None:
    last = appended.last
    if last is None:
        return
    row = {
        "seq": last.seq,
        "id": last.id,
        "type": last.type,
        "key": last.key,
        "new": appended.added > 0,
        "written": written and appended.added > 0,
    }
    if fmt:
        render([row], list(row), fmt)
    elif appended.added:
        done = "recorded" if written else "would record (--dry-run: nothing written)"
        say(" ".join(filter(None, [done, "seq", str(last.seq), last.type, last.key, last.id[:12]])))
    else:
        say(f"already recorded as seq {last.seq} ({last.key or last.id[:12]}); nothing added")


@click.command("record")
@click.argument("file", type=click.File("rb"), required=False)
@click.option("--type", "type_", type=click.Choice(list(SCHEMAS)), help="Event type, with --field.")
@click.option("--key", help="A human key for the event, unique in the log.")
@click.option(
    "--field",
    "-f",
    "fields",
    multiple=True,
    metavar="NAME=VALUE",
    help="A body field; JSON for objects and lists ({…}, […]); repeatable.",
)
@store_option
@by_option
@expected_head_option
@dry_run_option
@format_option("table", "json")
def record_(
    file: IO[bytes] | None,
    type_: str | None,
    key: str | None,
    fields: tuple[str, ...],
    store: str | None,
    recorded_by: str | None,
    signing_key: str | None,
    expected_head: str | None,
    dry_run: bool,
    fmt: str | None,
) -> None:
    """Record one event, from a JSON or YAML file (- for stdin) or from flags.

    A file is read as JSON when it is named .json or begins with "{", as YAML otherwise.

    \b
    Example:
      accords record --type SourceRegistered --key src-ap-0611 \\
        -f title="US seeks more deportation deals" -f publisher="AP" \\
        -f published=2025-06-11 -f kind=news -f url=https://example.org/ap
      echo '{"type": "ClaimRetracted", "body": {"claim": "c-1", "reason": "other"}}' \\
        | accords record -
    """
    if file is not None and (type_ or fields):
        raise InputError("give a FILE or --type/--field, not both")
    if file is not None:
        name = getattr(file, "name", "-")
        name = "stdin" if name in ("-", "<stdin>") else name
        draft = read_one(file, name)
        if key:
            draft = Draft(draft.type, draft.body, key, where=draft.where)
    elif type_:
        booleans = {f.name for f in SCHEMAS[type_] if f.kind == "bool"}
        body: dict[str, Any] = {}
        for item in fields:
            name, sep, value = item.partition("=")
            if not sep or not name:
                raise InputError(f"--field {item!r}: expected NAME=VALUE")
            if name in body:
                raise InputError(f"--field {name}: given twice", "give each field once; a list is JSON: -f name='[…]'")
            body[name] = _field_value(name, value, name in booleans)
        draft = Draft(type_, body, key)
    else:
        raise InputError("nothing to record", "give a FILE (or -), or --type with --field NAME=VALUE")
    _report(
        open_record(store, recorded_by, signing_key=signing_key).append(
            [draft], expected_head=expected_head, dry_run=dry_run
        ),
        fmt,
        written=not dry_run,
    )


def _progress(name: str) -> Any:
    """A callback that reports import progress on stderr every 10,000 events."""
    counter = [0]

    def tick(event: Event | Ref, new: bool) -> None:
        counter[0] += 1
        if counter[0] % 10000 == 0:
            say(f"{name}: {counter[0]} events read", err=True)

    return tick


@click.command("import")
@click.argument("files", nargs=-1, type=click.Path(allow_dash=True, dir_okay=False))
@click.option(
    "--input-format", type=click.Choice(["jsonl", "yaml"]), help="Default: from the file name; jsonl for stdin."
)
@click.option("--seed", is_flag=True, help="Also import the seed report that ships with accords.")
@store_option
@by_option
@expected_head_option
@dry_run_option
@processes_option
def import_(
    files: tuple[str, ...],
    input_format: str | None,
    seed: bool,
    store: str | None,
    recorded_by: str | None,
    signing_key: str | None,
    expected_head: str | None,
    dry_run: bool,
    processes: int | None,
) -> None:
    """Import events from JSONL or YAML files (- for stdin), each file all-or-nothing.

    Events already in the log (same content) are skipped, so re-importing a file is
    safe. After each file is committed, a line on stderr says what it added. Past the
    first 1,000 events of a file, claims' statements are checked ahead in worker
    processes (one per CPU but this one; -j 1 for none). With --dry-run the files are
    checked together, as one append (a later file may refer to an earlier one's events),
    and nothing is written.

    \b
    Example:
      accords import --dry-run sources.jsonl claims.jsonl
      accords import article.jsonl more.yaml
      accords import --seed
      accords init --store copy.db && accords export | accords import --store copy.db -
    """
    if not files and not seed:
        raise InputError("nothing to import", "name files (- for stdin), or --seed")
    record = open_record(store, recorded_by, signing_key=signing_key)
    from importlib.resources import as_file
    from importlib.resources import files as package_files  # the seed ships in the package

    with as_file(package_files("accords").joinpath(SEED)) as seed_path:
        paths = ([str(seed_path)] if seed else []) + list(files)
        done = record.import_files(
            paths,
            input_format=input_format,
            expected_head=expected_head,
            dry_run=dry_run,
            processes=processes,
            progress=_progress,
        )
        for name, appended in done:  # as each file is committed
            if dry_run:
                say(f"{name}: would commit {_added(appended)}; --dry-run: nothing written", err=True)
            else:
                say(f"{name}: committed {_added(appended)}", err=True)


def _added(done: Appended) -> str:
    span = f" (seq {done.head.seq - done.added + 1}-{done.head.seq})" if done.added else ""
    return f"{done.added} new events{span}, {done.existing} already recorded"


EXPORT_FORMATS = ("jsonl", "trig", "nquads", "turtle", "jsonld", "prov", "claimreview", "annotation")


@click.command("export")
@click.option("-o", "--output", type=click.File("wb"), default="-", help="File to write (default stdout).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="jsonl",
    show_default=True,
    help="jsonl: the log itself; trig, nquads, turtle, jsonld: the RDF projection; "
    "prov: the provenance of claims and sources as PROV-O (Turtle); claimreview: fact-checks "
    "as schema.org ClaimReview; annotation: quotes as W3C Web Annotations (both JSON-LD).",
)
@click.option(
    "--graph",
    type=click.Choice(["belief", "all"]),
    default=None,
    help="RDF formats: every graph (default for trig, nquads, jsonld: the belief as the default "
    "graph, each claim's statement, the provenance and the vocabulary by name) or the belief alone.",
)
@clock_options
@store_option
def export(
    output: IO[bytes],
    fmt: str,
    graph: str | None,
    as_of: str | None,
    known_by: str | None,
    valid_at: str | None,
    store: str | None,
) -> None:
    """Write the whole log as JSONL, or its RDF projection as TriG, N-Quads, Turtle, JSON-LD or PROV-O,
    or its fact-checks and quotes as fact-checkers' and annotation tools' JSON-LD.

    The JSONL file, imported into an empty store, rebuilds the identical chain and
    head hash. The RDF formats reflect the log up to its head, or the view the clocks
    give; any SPARQL store loading a TriG or N-Quads export (named graphs kept apart)
    answers the named queries (accords query --list) as accords does for that view.

    \b
    Example:
      accords export -o backup.jsonl
      accords init --store restored.db && accords import --store restored.db backup.jsonl
      accords export --format trig -o dataset.trig
      accords export --format trig --as-of 2025-05-01 -o then.trig
      accords export --format turtle -o belief.ttl
      accords export --format prov -o provenance.ttl
      accords export --format claimreview -o reviews.jsonld
      accords export --format annotation -o quotes.jsonld
    """
    record = open_record(store)
    record.export(output, fmt, graph, **clocks(record, as_of, known_by, valid_at))


@click.command()
@click.argument("claim")
@click.option("--reason", type=click.Choice(REASONS), required=True)
@click.option("--source", help="The source that retracted it (key or id), if any.")
@click.option("--note", help="Why, in words.")
@store_option
@by_option
@expected_head_option
@format_option("table", "json")
def retract(
    claim: str,
    reason: str,
    source: str | None,
    note: str | None,
    store: str | None,
    recorded_by: str | None,
    signing_key: str | None,
    expected_head: str | None,
    fmt: str | None,
) -> None:
    """Retract a claim. The claim stays in the log, marked; nothing is deleted.

    \b
    Example:
      accords retract c-rwanda-paid --reason source_correction --source src-correction
    """
    _report(
        open_record(store, recorded_by, signing_key=signing_key).retract(
            claim, reason, source=source, note=note, expected_head=expected_head
        ),
        fmt,
    )


@click.command()
@click.argument("claim")
@click.option("--replacement", required=True, help="The claim (key or id) that replaces it.")
@click.option("--reason", type=click.Choice(REASONS), required=True)
@click.option("--note", help="What was wrong, in words.")
@store_option
@by_option
@expected_head_option
@format_option("table", "json")
def correct(
    claim: str,
    replacement: str,
    reason: str,
    note: str | None,
    store: str | None,
    recorded_by: str | None,
    signing_key: str | None,
    expected_head: str | None,
    fmt: str | None,
) -> None:
    """Correct a claim by a replacement claim recorded before; both stay in the log.

    \b
    Example:
      accords record fixed-claim.json
      accords correct c-transfer-date --replacement c-transfer-date-2 --reason recording_error
    """
    _report(
        open_record(store, recorded_by, signing_key=signing_key).correct(
            claim, replacement, reason, note=note, expected_head=expected_head
        ),
        fmt,
    )
