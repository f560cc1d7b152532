"""Options shared by commands, and how a command opens the store they name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from accords.events.log import Log
from accords.events.store import Recorder, open_store, store_url

F = TypeVar("F", bound=Callable[..., Any])


def store_option(f: F) -> F:
    return click.option(
        "--store",
        envvar="ACCORDS_STORE",
        default=None,
        metavar="PATH|URL",
        help="The log: a SQLite file or a postgresql:// URL "
        "(default: $ACCORDS_STORE, else ./accords.db).",
    )(f)


def by_option(f: F) -> F:
    return click.option(
        "--by",
        "recorded_by",
        envvar="ACCORDS_USER",
        default=None,
        metavar="NAME",
        help="Who records the events (default: $ACCORDS_USER, else your login name).",
    )(f)


def expected_head_option(f: F) -> F:
    return click.option(
        "--expected-head",
        default=None,
        metavar="HASH",
        help="Append only if the log head is this hash (or prefix); 0 for an empty log.",
    )(f)


def chosen_store(store: str | None) -> str:
    """The store a command names, else the one given before the command, else the default."""
    ctx = click.get_current_context()
    return store_url(store or ctx.find_root().params.get("store"))


def open_recorder(store: str | None, create: bool = False) -> Recorder:
    recorder = open_store(chosen_store(store), create=create)
    click.get_current_context().call_on_close(recorder.close)
    return recorder


def open_log(store: str | None, recorded_by: str | None = None) -> Log:
    return Log(open_recorder(store), recorded_by)
