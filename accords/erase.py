"""The erase command: forget a person (events/personal.py)."""

from __future__ import annotations

import click

from accords.events.errors import StoreError
from accords.options import by_option, dry_run_option, open_record, store_option
from accords.output import format_option, render, say


@click.command()
@click.argument("person")
@click.option("--reason", required=True, help="Why (a request under data-protection law, a court order…).")
@store_option
@by_option
@dry_run_option
@format_option("table", "json")
def erase(
    person: str,
    reason: str,
    store: str | None,
    recorded_by: str | None,
    signing_key: str | None,
    dry_run: bool,
    fmt: str | None,
) -> None:
    """Forget PERSON (an id such as person/p1): destroy the key their data is sealed under.

    A claim's persons (their names, details, and the words of the quote that name them) are
    sealed when recorded, and the chain holds only the seal. Erasing destroys the key and
    records a PersonErased event under your name (--by). From then on `trace`, `log`,
    `show`, every export, the RDF projection and Neo4j (at its next `project neo4j`) read
    [erased] where the data was; `verify` still passes and every proof made before still
    checks. The key's old bytes are then cleared from the store's files (SQLite: its WAL;
    PostgreSQL: VACUUM FULL of the key table) and the graph on disk is built again. Final:
    a person named again is recorded under a new id.

    \b
    Example:
      accords erase person/esw-1 --reason "request of the person's lawyer, 3 Sept 2025" --by legal-desk
    """
    record = open_record(store, recorded_by, signing_key=signing_key)
    appended, left = record.erase(person, reason, dry_run=dry_run)
    last = appended.last
    row = {
        "person": person,
        "seq": last.seq if last else None,
        "new": appended.added > 0,
        "written": not dry_run,
        "left": left,
    }
    if fmt:
        render([row], list(row), fmt)
    elif dry_run:
        say(f"would erase {person} (--dry-run: nothing written)")
    elif appended.added and last is not None:
        say(f"recorded seq {last.seq} PersonErased {last.id[:12]}: {person} now reads [erased]")
    else:
        say(f"{person} was erased before; what was left of their key is cleared")
    if left:
        raise StoreError(f"{person} is erased, but {left}", "run accords erase again when the store is not busy")
