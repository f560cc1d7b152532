"""The capture command: attach a saved page to its source (events/captures.py)."""

from __future__ import annotations

from pathlib import Path

import click

from accords.events.schema import MEDIA_TYPES
from accords.options import by_option, dry_run_option, open_record, store_option
from accords.output import format_option, render, say


@click.command()
@click.argument("source")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--captured", metavar="DATE", help="When the page was saved (EDTF; default: today).")
@click.option("--kind", type=click.Choice(list(MEDIA_TYPES)), help="What the file is (default: by its name and bytes).")
@click.option("--note", help="Where the capture came from (a browser, webrecorder, an archive).")
@store_option
@by_option
@dry_run_option
@format_option("table", "json")
def capture(
    source: str,
    file: Path,
    captured: str | None,
    kind: str | None,
    note: str | None,
    store: str | None,
    recorded_by: str | None,
    signing_key: str | None,
    dry_run: bool,
    fmt: str | None,
) -> None:
    """Attach the page of SOURCE as you saved it: an HTML, text, PDF or WARC file.

    Its bytes are kept in the store by their SHA-256, and a SourceCaptured event records the
    hash, so the chain covers them; nothing is fetched. `trace` then says, for each claim of
    the source, whether its quote occurs in the capture (whitespace and typography made
    plain, an elision "..." standing for the words it leaves out); `verify` checks the bytes.
    Attaching the same file again with the same --captured date adds nothing (and keeps the
    bytes, if a log imported without them lacks them).

    \b
    Example:
      accords capture src-ap-0611 ~/saved/ap-deportations.html --captured 2025-06-12
      accords capture src-ap-0611 ap.warc.gz --note "webrecorder, 12 June"
    """
    record = open_record(store, recorded_by, signing_key=signing_key)
    appended = record.capture(source, file, captured=captured, kind=kind, note=note, dry_run=dry_run)
    last = appended.last
    assert last is not None
    event = record.log.find(last.id) if not dry_run else None
    sha = event.data()["sha256"] if event is not None else None
    row = {"seq": last.seq, "id": last.id, "sha256": sha, "new": appended.added > 0, "written": not dry_run}
    if fmt:
        render([row], list(row), fmt)
    elif dry_run:
        say(f"would record seq {last.seq} SourceCaptured {last.id[:12]} (--dry-run: nothing written)")
    elif appended.added:
        say(f"recorded seq {last.seq} SourceCaptured {last.id[:12]}: {file.name}, sha256 {sha}")
    else:
        say(f"already recorded as seq {last.seq} ({last.id[:12]}); the bytes are kept")
