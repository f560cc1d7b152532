"""Commands that prove the log: verify, checkpoint, prove."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import click
import orjson

from accords.events.errors import InputError, NotConforming
from accords.events import integrity
from accords.options import open_record, processes_option, store_option
from accords.output import format_option, render, say, write_json


def _progress(seq: int) -> None:
    say(f"{seq} events verified", err=True)


@click.command()
@processes_option
@click.option(
    "--graph",
    is_flag=True,
    help="Also fold the log afresh and compare the RDF projection with it (as long again as building it).",
)
@click.option(
    "--against",
    type=click.File("r", encoding="utf-8"),
    help="A checkpoint received as a signed note (accords checkpoint --note): the log must extend it.",
)
@click.option("--key", metavar="VERIFIER", help="With --against: the verifier key you trust (NAME+KEYID+KEY).")
@store_option
@format_option("table", "json")
def verify(
    processes: int | None, graph: bool, against: IO[str] | None, key: str | None, store: str | None, fmt: str | None
) -> None:
    """Recompute every id, hash and link of the chain, and check stored checkpoints.

    Exit 0 when the log verifies; exit 1 naming the first bad seq and what is wrong.
    Progress goes to stderr every 10,000 events. A log of 40,000 events or more is
    split into seq ranges checked side by side, one process per CPU (-j to use fewer).

    With --graph, the RDF projection that every read answers from (accords.db.graph) must
    be the fold of the log it says it reflects, quad for quad: exit 1 naming what differs
    when it is not, and it is removed, so the next read builds it afresh from the log.

    With --against, the log must also extend a checkpoint someone signed and sent (a signed
    note, checked with the verifier key --key you hold): exit 1 when events it covers are
    missing or were rewritten, or when the note is not signed by that key.

    \b
    Example:
      accords verify
      accords verify --graph
      accords verify --against june.note --key "$(cat newsroom.vkey)"
      accords verify --store postgresql://me@localhost/accords --format json
    """
    if (against is None) != (key is None):
        raise InputError("--against and --key go together", "a note is checked against the verifier key you hold")
    record = open_record(store)
    signed = against.read() if against is not None else None
    result = record.verify(processes, progress=_progress)
    if result.problem is None and signed is not None and key is not None and against is not None:
        result = replace(result, problem=record.extends(signed, key, against.name))
    row: dict[str, Any] = {
        "ok": result.problem is None,
        "events": result.events,
        "head": result.head,
        "bad_seq": result.problem.seq if result.problem else None,
        "problem": result.problem.what if result.problem else None,
    }
    refolded = record.verify_graph() if graph and result.problem is None else None
    if graph:  # none: there is no graph yet
        row["graph"] = refolded.status if refolded else "none"
        row["ok"] = row["ok"] and row["graph"] != "differs"
    if fmt:
        render([row], list(row), fmt)
    elif result.problem is None:
        say(f"ok: {result.events} events verify; head {result.head}")
        if against is not None and key is not None:
            say(f"ok: the log extends {against.name}, signed by {key.split('+')[0]}")
        if refolded is None and graph:
            say("no graph to check: the next read builds it from the log")
        elif refolded is not None and refolded.status == "ok":
            say(f"ok: the graph at {refolded.path} is the fold of the log to seq {refolded.seq}")
        elif refolded is not None and refolded.status == "stale":
            say(f"the graph at {refolded.path} is unfinished or of another version: the next read builds it afresh")
    if result.problem is not None:
        raise NotConforming(f"seq {result.problem.seq}: {result.problem.what}")
    if refolded is not None and refolded.status == "differs":
        raise NotConforming(
            f"the graph at {refolded.path} is not the fold of the log to seq {refolded.seq}: {refolded.problem}",
            "it has been removed: the next read builds it afresh from the log",
        )


@click.command()
@click.option(
    "--sign",
    "key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Sign with this Ed25519 private key (PEM).",
)
@click.option(
    "--note",
    "name",
    metavar="NAME",
    help="Write it as a C2SP signed note of the log called NAME (with --sign), e.g. newsroom.example/deportations.",
)
@click.option("-o", "--output", type=click.File("w"), default=None, help="Also write it to a file.")
@store_option
def checkpoint(key_file: Path | None, name: str | None, output: IO[str] | None, store: str | None) -> None:
    """Write a Merkle tree head (RFC 6962) over the whole log, optionally signed.

    Keep a copy somewhere else: with it, anyone can later check that the log was only
    appended to (`accords prove --from`, `accords verify --against`).

    With --note, the checkpoint is a signed note (c2sp.org/tlog-checkpoint), the format of
    Go's checksum database and Sigstore's Rekor, to send by mail or publish; the verifier
    key its readers need (NAME+KEYID+KEY) is printed on stderr.

    \b
    Example:
      openssl genpkey -algorithm ed25519 -out signing-key.pem
      accords checkpoint --sign signing-key.pem -o checkpoint-2025-06-01.json
      accords checkpoint --sign signing-key.pem --note newsroom.example/deportations -o june.note
    """
    record = open_record(store)
    if name is not None:
        if key_file is None:
            raise InputError("--note: a note must be signed", "give --sign KEY.pem")
        text, verifier = record.signed_note(key_file, name)
        click.echo(text, nl=False)
        say(f"verifier key: {verifier}", err=True)
        if output:
            output.write(text)
        return
    doc = record.checkpoint(key_file)
    write_json(doc)
    if output:
        output.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n")


def _read_json(stream: IO[bytes], name: str) -> Any:
    try:
        return orjson.loads(stream.read())
    except orjson.JSONDecodeError as e:
        raise InputError(f"{name}: malformed JSON: {e}") from None


@click.command()
@click.argument("event", required=False)
@click.option("--tree-size", type=int, help="Prove inclusion in the tree of the first N events.")
@click.option("--from", "old", type=click.File("rb"), help="A checkpoint file: prove the log extends it.")
@click.option("--check", "to_check", type=click.File("rb"), help="Check a proof file (- for stdin).")
@click.option("--root", help="With --check: a root you trust (e.g. from your checkpoint): the proof must be about it.")
@click.option(
    "--key", "public_key", metavar="HEX", help="With --from: the checkpoint must be signed by this Ed25519 public key."
)
@store_option
def prove(
    event: str | None,
    tree_size: int | None,
    old: IO[bytes] | None,
    to_check: IO[bytes] | None,
    root: str | None,
    public_key: str | None,
    store: str | None,
) -> None:
    """Prove an event is in the log, or that the log extends an old checkpoint.

    Proofs are JSON; `--check` checks one without the log (exit 0 valid, 1 not).
    The algorithm is RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency). A proof
    only links roots: give `--root` the one you hold (a consistency proof's old or new
    root, an inclusion proof's root), or it is checked against the roots it names itself.

    \b
    Example:
      accords prove c-rwanda-paid > inclusion.json
      accords prove --from checkpoint-2025-06-01.json > consistency.json
      accords prove --from checkpoint-2025-06-01.json --key "$(cat newsroom.pub)"
      accords prove --check consistency.json --root "$(jq -r .root checkpoint-2025-06-01.json)"
    """
    from accords.api import check_proof

    if to_check is not None:
        say("ok: " + check_proof(_read_json(to_check, to_check.name), to_check.name, root))
        return
    record = open_record(store)
    if old is not None:
        proof = record.prove_consistency(_read_json(old, old.name), old.name, tree_size, public_key)
        write_json(proof)
        if not integrity.check_proof(proof, "consistency"):
            raise NotConforming(
                f"the log does not extend {old.name}: history up to seq {proof['old_size']} was rewritten"
            )
        return
    if event is None:
        raise InputError("name an EVENT, or give --from CHECKPOINT or --check PROOF")
    write_json(record.prove_inclusion(event, tree_size))
