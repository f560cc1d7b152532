"""The demo: the seed record in a fresh log, and a guided tour of what accords answers."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
from accords.output import say


def _run(args: list[str]) -> None:
    """Show a command as a user would type it, then run it."""
    from accords.cli import cli

    click.secho("$ accords " + " ".join(a if " " not in a else repr(a) for a in args), bold=True)
    try:
        cli.main(args, prog_name="accords", standalone_mode=False)
    except SystemExit:
        pass  # a finding (exit 1) is part of the tour, not the end of it
    say()


@click.command()
@click.option(
    "--store", default=None, metavar="PATH|URL", help="Keep the demo log here (default: a new temporary folder)."
)
def demo(store: str | None) -> None:
    """Record the seed report in a new log and tour it: timeline, trace, time travel, validation, queries.

    \b
    Example:
      accords demo
      accords demo --store demo.db && accords --store demo.db query --list
    """
    url = store or str(Path(tempfile.mkdtemp(prefix="accords-demo-")) / "accords.db")
    click.secho("accords demo: the seed report, recorded as one source and its quoted claims\n", bold=True)
    _run(["--store", url, "init"])
    _run(["--store", url, "import", "--seed"])
    click.secho("1. The timeline: every event, in the order it was recorded", fg="cyan")
    _run(["--store", url, "log", "--format", "table"])
    click.secho("2. A fact traced to its quote, source and speaker", fg="cyan")
    _run(["--store", url, "trace", "c-rwanda-paid", "--format", "table"])
    click.secho("3. Time travel: the agreements the record held after event 5, and now", fg="cyan")
    _run(
        [
            "--store",
            url,
            "query",
            "agreements-by-state",
            "--param",
            "state=state/US",
            "--as-of",
            "5",
            "--format",
            "table",
        ]
    )
    _run(["--store", url, "query", "agreements-by-state", "--param", "state=state/US", "--format", "table"])
    click.secho(
        "4. Validation: what the record gets wrong (the report names no publisher), and when each finding"
        " appeared and went away",
        fg="cyan",
    )
    _run(["--store", url, "validate", "--over-time", "--format", "summary"])
    click.secho("5. The questions that already work", fg="cyan")
    _run(["--store", url, "query", "--list", "--format", "table"])
    click.secho("Next, try:", fg="cyan")
    for line in (
        f"export ACCORDS_STORE={url}",
        "accords query states-asked-not-agreed",
        "accords query state-timeline --param state=state/PE",
        "accords replay --from 2 --to 6",
        "accords sparql 'SELECT ?state ?position WHERE { ?s acc:state ?state ; acc:position ?position }'",
        "accords validate --format table",
        "accords verify",
    ):
        say(f"  {line}")
