"""The sources command: derivations the record's sources suggest (events/wirecopy.py), and
those a person judges and undoes (DerivationJudged, DerivationUndone)."""

from __future__ import annotations

import click

from accords.events.store import Ref
from accords.options import by_option, open_record, store_option
from accords.output import format_option, render, say


@click.group()
def sources() -> None:
    """Where the record's sources' text comes from: suggested, judged, undone.

    \b
    Example:
      accords sources suggest --format table
      accords sources derive src-tribune actor/afp --reason "the page is marked (AFP)"
    """


@sources.command("suggest")
@click.option(
    "--threshold",
    type=click.IntRange(50, 100),
    default=90,
    show_default=True,
    help="How alike two quotes must be (of 100) for one page to be suggested as carrying the other's text.",
)
@store_option
@format_option()
def suggest(threshold: int, store: str | None, fmt: str | None) -> None:
    """Derivations the sources suggest: wire copy and republished text.

    A source whose title, publisher, author or note names a news agency ("(AFP)",
    "Reuters copy", "By Associated Press"), or one of whose claims quotes it ("told AFP",
    "MBABANE (Reuters)"), is suggested to carry that agency's copy; two claims about one
    thing whose quotes are near-duplicates (rapidfuzz's ratio, quotes of eight words or
    more) suggest the later page carries the earlier one's text, or both one upstream's.
    Sources that already derive from the upstream are not listed. Nothing is recorded: a
    derivation you judge right is recorded by `accords sources derive`, and from then on
    its copies count once in `trace`, `contradictions` and `single-source-claims`.

    \b
    Example:
      accords sources suggest --format table
      accords sources suggest --threshold 95 --format csv > suggestions.csv
    """
    found = open_record(store).suggest_derivations(threshold)
    rows = [{"source": s.source, "derived from": s.upstream, "why": s.why, "score": s.score} for s in found]
    render(rows, ("source", "derived from", "why", "score"), fmt)


def _said(appended_last: Ref | None, what: str) -> None:
    if appended_last is not None:
        say(f"recorded seq {appended_last.seq} {what} {appended_last.id[:12]}")


@sources.command("derive")
@click.argument("source")
@click.argument("upstream", nargs=-1, required=True)
@click.option("--reason", required=True, help="Why: what on the page shows it (a credit, a dateline, the same text).")
@click.option("--judged-by", help="Who judged it (default: who records it, --by).")
@click.option("--key", help="A name for the judgement, to undo it by.")
@store_option
@by_option
def derive(
    source: str,
    upstream: tuple[str, ...],
    reason: str,
    judged_by: str | None,
    key: str | None,
    store: str | None,
    recorded_by: str | None,
    signing_key: str | None,
) -> None:
    """Record that SOURCE carries the text of UPSTREAM: an agency ("actor/afp") or another
    source (a key or id). A DerivationJudged event: from its seq on, SOURCE's claims and
    UPSTREAM's count as one independent source; a view of the clocks before it counts them
    apart. `accords sources undo` takes it back.

    \b
    Example:
      accords sources derive src-tribune actor/afp --reason "the page is marked (AFP)" --key j-tribune
    """
    record = open_record(store, recorded_by, signing_key=signing_key)
    judged = record.judge_derivation(source, list(upstream), reason, judged_by=judged_by, key=key)
    _said(judged.last, "DerivationJudged")


@sources.command("undo")
@click.argument("judgement")
@click.option("--reason", required=True, help="Why the derivation no longer holds.")
@click.option("--judged-by", help="Who judged it (default: who records it, --by).")
@store_option
@by_option
def undo(
    judgement: str,
    reason: str,
    judged_by: str | None,
    store: str | None,
    recorded_by: str | None,
    signing_key: str | None,
) -> None:
    """Undo a derivation recorded by `accords sources derive` (JUDGEMENT: its key or id):
    its links go from this seq on; a view before it still holds them.

    \b
    Example:
      accords sources undo 5f1c0a9e --reason "the credit was the photo's, not the text's"
    """
    record = open_record(store, recorded_by, signing_key=signing_key)
    _said(record.undo_derivation(judgement, reason, judged_by=judged_by).last, "DerivationUndone")
