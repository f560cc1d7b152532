"""Checkpoints as signed notes: the format transparency logs publish (Go's checksum database,
Sigstore's Rekor), so that a tree head can travel by mail and be checked by any of their tools.

A note (c2sp.org/signed-note) is a text ending in a newline, a blank line, and signature
lines ``— NAME base64(key id || Ed25519 signature of the text)``; the key id is the first
four bytes of SHA-256(NAME || 0x0A || 0x01 || public key). Its verifier key, the string a
reader is given and trusts, is ``NAME+HEX(key id)+base64(0x01 || public key)``. The text of
a checkpoint (c2sp.org/tlog-checkpoint) is three lines: the log's origin (here the key's
name too, as sum.golang.org does), the tree size, and the base64 of the RFC 6962 root
hash of the first tree-size event hashes: the root `accords checkpoint` and `prove` use.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from accords.events.errors import InputError, NotConforming

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ED25519 = b"\x01"  # the signature type byte of Ed25519 in signed notes
DASH = "\u2014"  # a signature line begins with an em dash and a space


@dataclass(frozen=True, slots=True)
class Verifier:
    """A key a reader trusts: its name, its key id, its Ed25519 public key."""

    name: str
    id: bytes
    public: bytes

    def __str__(self) -> str:
        return f"{self.name}+{self.id.hex()}+{base64.b64encode(ED25519 + self.public).decode()}"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """What a signed checkpoint says: which log, how many events, and their root."""

    origin: str
    size: int
    root: bytes


def _name(name: str, where: str) -> str:
    if not name or any(c.isspace() or c == "+" for c in name) or not name.isprintable():
        raise InputError(
            f"{where}: {name!r} is not a key name (no spaces or '+')", "e.g. newsroom.example/deportations"
        )
    return name


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public).digest()[:4]


def verifier(name: str, key: Ed25519PrivateKey) -> Verifier:
    """The verifier key of a private key under a name."""
    from cryptography.hazmat.primitives import serialization

    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return Verifier(_name(name, "--note"), key_id(name, public), public)


def parse_verifier(text: str, where: str) -> Verifier:
    """A verifier key NAME+HEX+BASE64, checked: its id must be the one its name and key give."""
    parts = text.strip().split("+", 2)  # base64 may hold "+"
    try:
        if len(parts) != 3 or len(parts[1]) != 8:
            raise ValueError
        name, given, material = (
            _name(parts[0], where),
            bytes.fromhex(parts[1]),
            base64.b64decode(parts[2], validate=True),
        )
    except (ValueError, binascii.Error):
        raise InputError(
            f"{where}: not a verifier key (NAME+KEYID+BASE64)", "accords checkpoint --note prints the one to give"
        ) from None
    if len(material) != 33 or material[:1] != ED25519 or key_id(name, material[1:]) != given:
        raise InputError(f"{where}: not an Ed25519 verifier key, or its key id does not match its name and key")
    return Verifier(name, given, material[1:])


def sign(text: str, name: str, key: Ed25519PrivateKey) -> str:
    """The note: text (ending in a newline) signed by key under name."""
    assert text.endswith("\n")
    signer = verifier(name, key)
    blob = base64.b64encode(signer.id + key.sign(text.encode())).decode()
    return f"{text}\n{DASH} {signer.name} {blob}\n"


def open_note(note: str, trusted: Verifier, where: str) -> str:
    """The text of a note signed by trusted: InputError when it is no note, NotConforming
    when no signature of trusted is on it or one does not verify (the text is not what it signed)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if any(c < " " and c != "\n" for c in note) or "\n\n" not in note or not note.endswith("\n"):
        raise InputError(f"{where}: not a signed note (text, a blank line, signature lines; no control characters)")
    split = note.rindex("\n\n")
    text, lines = note[: split + 1], note[split + 2 :].splitlines()
    signed = False
    for line in lines:
        fields = line.split(" ")
        if len(fields) != 3 or fields[0] != DASH:
            raise InputError(f"{where}: {line[:80]!r} is not a signature line ({DASH} NAME SIGNATURE)")
        try:
            blob = base64.b64decode(fields[2], validate=True)
        except binascii.Error:
            raise InputError(f"{where}: the signature of {fields[1]!r} is not base64") from None
        if fields[1] != trusted.name or blob[:4] != trusted.id:
            continue  # another key's signature: ignored, as the format asks
        try:
            Ed25519PublicKey.from_public_bytes(trusted.public).verify(blob[4:], text.encode())
        except InvalidSignature:
            raise NotConforming(
                f"{where}: the signature of {trusted.name} does not verify: the note was altered"
            ) from None
        signed = True
    if not signed:
        raise NotConforming(
            f"{where}: not signed by {trusted.name}+{trusted.id.hex()}", "a note is worth the key you trust"
        )
    return text


def checkpoint_text(origin: str, size: int, root: bytes) -> str:
    return f"{_name(origin, '--note')}\n{size}\n{base64.b64encode(root).decode()}\n"


def parse_checkpoint(text: str, where: str) -> Checkpoint:
    """The origin, size and root of a checkpoint's text (any extension lines are ignored)."""
    lines = text.split("\n")
    try:
        size = int(lines[1]) if lines[1].isascii() and lines[1].isdigit() else -1
        root = base64.b64decode(lines[2], validate=True)
    except (IndexError, binascii.Error):
        size, root = -1, b""
    if size < 0 or len(root) != 32:
        raise InputError(f"{where}: the note is no checkpoint (origin, tree size, base64 root hash)")
    return Checkpoint(lines[0], size, root)
