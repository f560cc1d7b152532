"""Options shared by commands, and how a command opens the store they name."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from accords.events.errors import InputError

if TYPE_CHECKING:
    from accords.api import Record

F = TypeVar("F", bound=Callable[..., Any])


def store_option(f: F) -> F:
    return click.option(
        "--store",
        default=None,  # not envvar: ACCORDS_STORE must not override `accords --store X CMD` (chosen_store)
        metavar="PATH|URL",
        help="The log: a SQLite file or a postgresql:// URL (default: $ACCORDS_STORE, else ./accords.db).",
    )(f)


def by_option(f: F) -> F:
    """--by NAME and --sign KEY: who records the events, and the key that signs them."""
    f = click.option(
        "--sign",
        "signing_key",
        envvar="ACCORDS_SIGNING_KEY",
        default=None,
        type=click.Path(exists=True, dir_okay=False),
        metavar="KEY.pem",
        help="Sign the append with this Ed25519 private key, registered in the log (default: $ACCORDS_SIGNING_KEY).",
    )(f)
    return click.option(
        "--by",
        "recorded_by",
        envvar="ACCORDS_USER",
        default=None,
        metavar="NAME",
        help="Who records the events (default: $ACCORDS_USER, else your login name; a signed append: its key's name).",
    )(f)


def expected_head_option(f: F) -> F:
    return click.option(
        "--expected-head",
        default=None,
        metavar="HASH",
        help="Append only if the log head is this hash (or prefix); 0 for an empty log.",
    )(f)


def dry_run_option(f: F) -> F:
    return click.option(
        "--dry-run",
        is_flag=True,
        help="Check everything as an append would, then write nothing; say what it would add.",
    )(f)


def processes_option(f: F) -> F:
    return click.option(
        "-j",
        "--processes",
        type=click.IntRange(min=1),
        default=None,
        help="Work in at most N processes on a long log or file (default: one per CPU).",
    )(f)


def chosen_store(store: str | None) -> str:
    """The store a command names, else the one given before the command, else the default."""
    from accords.events.store import store_url

    ctx = click.get_current_context()
    return store_url(store or ctx.find_root().params.get("store"))


def clock_options(f: F) -> F:
    """--as-of, --known-by and --valid-at: the three clocks of DESIGN §1."""
    f = click.option("--valid-at", metavar="DATE", help="Valid time: only claims whose valid time includes DATE.")(f)
    f = click.option(
        "--known-by", metavar="DATE", help="Publication time: only claims from sources certainly published by DATE."
    )(f)
    return click.option(
        "--as-of", metavar="SEQ|TIME", help="Record time: the log as it stood at this seq or UTC time."
    )(f)


def open_record(
    store: str | None, recorded_by: str | None = None, create: bool = False, signing_key: str | None = None
) -> "Record":
    """The Record (accords.api) of the store a command names, closed when the command ends."""
    from accords.api import Record

    record = Record(chosen_store(store), create=create, recorded_by=recorded_by, signing_key=signing_key)
    click.get_current_context().call_on_close(record.close)
    return record


def clocks(record: "Record", as_of: str | None, known_by: str | None, valid_at: str | None) -> dict[str, str | None]:
    """The clock options as a Record's keywords, checked; a note on stderr when --as-of is
    before the first event (record time is when it was recorded here, not when anything happened)."""
    at = record.view(as_of, known_by, valid_at)
    if at.as_of == 0 and as_of is not None and not as_of.isdigit() and not record.head.empty:
        from accords.output import say

        say(
            f"note: nothing was recorded in this log by {as_of} (--as-of is record time); for what "
            "sources had published by a date use --known-by, for what was true then --valid-at",
            err=True,
        )
    return {"as_of": as_of, "known_by": known_by, "valid_at": valid_at}


def query_text(query: str | None, file: IO[str] | None) -> str:
    """A query given as text, with --file, or on stdin ("-" or a pipe)."""
    if query and file:
        raise InputError("give the query as text or with --file, not both")
    if file is not None:
        return file.read()
    if query == "-" or (query is None and not sys.stdin.isatty()):
        return sys.stdin.read()
    if not query:
        raise InputError("no query given", "pass it as an argument, with --file, or on stdin")
    return query
