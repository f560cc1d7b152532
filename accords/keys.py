"""The key command: the Ed25519 keys recorders sign their appends with (events/signatures.py)."""

from __future__ import annotations

from pathlib import Path

import click

from accords.events.signatures import fingerprint
from accords.options import by_option, open_record, store_option
from accords.output import format_option, render, say


@click.group()
def key() -> None:
    """Keys that sign what recorders append: make, register, revoke, require, list.

    A signed append (`--sign KEY.pem` on record, import, retract and correct, or
    $ACCORDS_SIGNING_KEY) is sealed by one more event holding the signature of its last
    event's hash; `verify` checks every signature, and `log`, `show` and `trace` say who
    signed each event.

    \b
    Example:
      accords key new "Ana Ruiz" -o ~/.config/accords/ana.pem
      export ACCORDS_SIGNING_KEY=~/.config/accords/ana.pem
      accords key require --reason "from now on, every append is signed"
    """


@key.command("new")
@click.argument("name")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the private key.",
)
@click.option("--note", help="What the key is for.")
@store_option
def new(name: str, output: Path, note: str | None, store: str | None) -> None:
    """Make a key for NAME, write its private half to a new file (yours alone to read), and
    register it in the log, signed by itself.

    \b
    Example:
      accords key new "Ana Ruiz" -o ~/.config/accords/ana.pem
    """
    done = open_record(store).new_key(name, output, note=note)
    say(f"registered the key of {name} as seq {done.head.seq - 1}; its private key is in {output}: keep it safe")


@key.command("register")
@click.argument("name")
@click.argument("public_key", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--note", help="What the key is for.")
@store_option
@by_option
def register(
    name: str, public_key: Path, note: str | None, store: str | None, recorded_by: str | None, signing_key: str | None
) -> None:
    """Register the Ed25519 public key (PEM) that NAME signs with, made elsewhere.

    \b
    Example:
      openssl genpkey -algorithm ed25519 -out ana.pem
      openssl pkey -in ana.pem -pubout -out ana.pub.pem
      accords key register "Ana Ruiz" ana.pub.pem
    """
    done = open_record(store, recorded_by, signing_key=signing_key).register_key(name, public_key, note=note)
    say(f"registered the key of {name} as seq {done.last.seq if done.last else done.head.seq}")


@key.command("revoke")
@click.argument("key_ref", metavar="KEY")
@click.option("--reason", required=True, help="Why, in words.")
@store_option
@by_option
def revoke(key_ref: str, reason: str, store: str | None, recorded_by: str | None, signing_key: str | None) -> None:
    """Revoke a key (its fingerprint, or its registration's key or id): what it signed
    before stands, it signs nothing after. A key is never deleted.

    \b
    Example:
      accords key revoke 669b6fec39f66313 --reason "laptop lost" --sign ana.pem
    """
    done = open_record(store, recorded_by, signing_key=signing_key).revoke_key(key_ref, reason)
    say(f"revoked {key_ref} at seq {done.last.seq if done.last else done.head.seq}")


@key.command("require")
@click.option("--reason", required=True, help="Why, in words.")
@store_option
@by_option
def require(reason: str, store: str | None, recorded_by: str | None, signing_key: str | None) -> None:
    """From now on, every append must be signed (this one too: give --sign): an unsigned
    append is refused, and verify exits 1 on an unsigned event after it.

    \b
    Example:
      accords key require --reason "every append is signed" --sign ana.pem
    """
    done = open_record(store, recorded_by, signing_key=signing_key).require_signatures(reason)
    say(f"signatures required from seq {done.last.seq if done.last else done.head.seq} on")


@key.command("list")
@store_option
@format_option()
def list_(store: str | None, fmt: str | None) -> None:
    """The keys registered in the log, and whether each is revoked.

    \b
    Example:
      accords key list --format table
    """
    ledger = open_record(store).ledger()
    rows = [
        {
            "name": k.name,
            "fingerprint": fingerprint(k.public),
            "registered": k.seq,
            "revoked": k.revoked,
            "appends signed": sum(s.key == k.id for s in ledger.seals),
        }
        for k in ledger.keys.values()
    ]
    render(rows, ("name", "fingerprint", "registered", "revoked", "appends signed"), fmt)
