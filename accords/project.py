"""The project command: bring a projection of the log up to date (RDF beside it, or Neo4j)."""

from __future__ import annotations

import time
from typing import Any

import click

from accords.cypher import neo4j_options
from accords.options import open_record, store_option
from accords.output import say


@click.group()
def project() -> None:
    """Build a projection of the log: the RDF dataset kept beside it, or a Neo4j graph.

    \b
    Example:
      accords project rdf --rebuild
      accords project neo4j --neo4j bolt://localhost:7687 --password secret
    """


@project.command("rdf")
@store_option
@click.option("--rebuild", is_flag=True, help="Delete the dataset and fold the whole log again.")
def project_rdf(store: str | None, rebuild: bool) -> None:
    """Bring the RDF dataset kept beside the log (STORE.graph/) up to date with it.

    Every read command does this by itself; --rebuild throws the dataset away first: for
    a dataset that belongs to another log, or one edited by hand.

    \b
    Example:
      accords project rdf --rebuild
    """
    head = open_record(store).project_rdf(rebuild=rebuild)
    say(f"RDF dataset: reflects seq {head.seq} ({head.hash[:12]})", err=True)


@project.command("neo4j")
@store_option
@neo4j_options
@click.option("--rebuild", is_flag=True, help="Delete what accords projected before, then project the whole log.")
@click.option(
    "--batch", default=None, type=click.IntRange(1), metavar="N", help="Events per transaction (default 1000)."
)
def project_neo4j(store: str | None, neo4j: Any, rebuild: bool, batch: int | None) -> None:
    """Fold the log into Neo4j as a property graph, catching up from the head it holds.

    Every node and relationship carries the ids of the claims stating it
    (`claims`), whether it is believed now (`believed`) and the seq intervals in
    which it was (`believed_from`, `believed_until`). Each batch is written with the
    head it reaches in one transaction; running it again changes nothing. A graph
    projected from another log is refused unless --rebuild.

    \b
    Example:
      accords project neo4j --neo4j bolt://localhost:7687 --user neo4j --password secret
      ACCORDS_NEO4J_URI=neo4j+s://xxxx.databases.neo4j.io accords project neo4j --rebuild
    """
    started = time.monotonic()

    def progress(seq: int, target: int, start: int) -> None:
        rate = (seq - start) / max(time.monotonic() - started, 1e-6)
        say(f"projected seq {seq:,} of {target:,} ({rate:,.0f} events/s)", err=True)

    before, head = open_record(store).project_neo4j(
        neo4j.uri,
        user=neo4j.user,
        password=neo4j.password,
        database=neo4j.database,
        rebuild=rebuild,
        batch=batch,
        progress=progress,
    )
    moved = (
        "up to date"
        if head == before and not rebuild
        else f"projected seq {before.seq if not rebuild else 0}..{head.seq}"
    )
    say(f"{neo4j.where}: {moved}; reflects seq {head.seq} ({head.hash[:12]})", err=True)
