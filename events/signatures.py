"""Who recorded what, proven: recorders sign what they append.

A recorder makes an Ed25519 key and registers its public key by an event (KeyRegistered:
the name it records under, the key). Each append it signs is sealed, in the same
transaction, by one more event (EventsSigned: the key's registration, the first and last
seq of the append, and the signature of ``accords events signed\\nFIRST\\nLAST\\nHASH\\n``,
HASH being the last event's). A hash holds the hash before it, so one signature covers
every event of the append: an import of 100,000 events costs one signature, and verify
checks one per append, not one per event. Signatures are events, so they are chained,
exported and imported with the rest of the log. A key is revoked by an event (KeyRevoked),
never deleted: its seals before the revocation stand, and it signs nothing after. From a
SignaturesRequired event on, every event must be sealed (verify exits 1 naming the first
that is not), and an append without a key is refused. Events recorded before any of this
stay valid, shown as unsigned.

Learnt from git's SSH signing (the signer's identity is the key a reader trusts, named in
the log as ``allowed_signers`` names it) and nanopublication signatures (the signature
covers a hash that commits to the content).
"""

from __future__ import annotations

import base64
import binascii
import bisect
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from accords.events.errors import InputError
from accords.events.model import Event
from accords.events.store import Recorder

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from accords.events.integrity import Problem


def fingerprint(public: bytes) -> str:
    """How a key is named to a person: the first 16 hex digits of the SHA-256 of its 32 bytes."""
    return hashlib.sha256(public).hexdigest()[:16]


def make_key(path: Path) -> None:
    """Write a new Ed25519 private key to path (PEM, PKCS#8, readable by its owner alone)."""
    import os

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as e:
        raise InputError(f"{path}: cannot write a new key: {e.strerror}", "name a file that does not exist") from None
    with os.fdopen(fd, "wb") as out:
        out.write(pem)


def public_key_base64(path: Path) -> str:
    """The base64 of the 32 bytes of an Ed25519 public key in a PEM file (or of the public
    half of a private key): e.g. `openssl pkey -in key.pem -pubout -out key.pub.pem`."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    try:
        data = path.read_bytes()
        key: object = (
            serialization.load_pem_private_key(data, password=None)
            if b"PRIVATE KEY" in data
            else serialization.load_pem_public_key(data)
        )
    except (OSError, ValueError, TypeError) as e:
        raise InputError(f"{path}: cannot read a PEM key: {e}") from None
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise InputError(f"{path}: not an Ed25519 key", "openssl genpkey -algorithm ed25519 -out key.pem")
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def message(first: int, last: int, hash_: str) -> bytes:
    return f"accords events signed\n{first}\n{last}\n{hash_}\n".encode()


@dataclass(frozen=True, slots=True)
class Signer:
    """A private key a recorder signs appends with."""

    key: Ed25519PrivateKey
    public: bytes

    @classmethod
    def load(cls, path: Path) -> Signer:
        from cryptography.hazmat.primitives import serialization

        from accords.events.integrity import load_private_key

        key = load_private_key(path)
        return cls(key, key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))

    def seal(self, key_id: str, first: int, last: int, hash_: str) -> dict[str, object]:
        """The body of the EventsSigned event that seals events first..last."""
        signature = base64.b64encode(self.key.sign(message(first, last, hash_))).decode()
        return {"key": key_id, "first": first, "last": last, "signature": signature}


@dataclass(slots=True)
class Key:
    seq: int
    id: str
    name: str
    public: bytes
    revoked: int | None = None  # the seq of its revocation

    def __str__(self) -> str:
        return f"{self.name} ({fingerprint(self.public)})"


@dataclass(frozen=True, slots=True)
class Seal:
    seq: int
    key: str  # the id of the key's registration
    first: int
    last: int
    signature: str


@dataclass
class Ledger:
    """What a log says of keys and signatures, read from its few events of those types."""

    keys: dict[str, Key] = field(default_factory=dict)
    seals: list[Seal] = field(default_factory=list)
    required: int | None = None  # the seq of the first SignaturesRequired
    _checked: dict[int, str | None] = field(default_factory=dict)  # a seal's seq: what is wrong with it
    _firsts: list[int] = field(default_factory=list)  # the seals' first seqs, in order (covering())
    _at: dict[int, Seal] = field(default_factory=dict)  # the seals by their own seq

    @classmethod
    def read(cls, recorder: Recorder) -> Ledger:
        ledger = cls()
        ledger.extend(recorder.signing_events())
        return ledger

    def extend(self, events: Iterable[Event]) -> None:
        for event in events:
            body = event.data()
            if event.type == "KeyRegistered":
                self.keys[event.id] = Key(event.seq, event.id, body["name"], base64.b64decode(body["public_key"]))
            elif event.type == "KeyRevoked" and body["key"] in self.keys:
                key = self.keys[body["key"]]
                key.revoked = event.seq if key.revoked is None else key.revoked
            elif event.type == "SignaturesRequired" and self.required is None:
                self.required = event.seq
            elif event.type == "EventsSigned":
                self.seals.append(Seal(event.seq, body["key"], body["first"], body["last"], body["signature"]))

    def key_of(self, public: bytes) -> Key | None:
        """The registration of a public key, if this log holds one."""
        return next((k for k in self.keys.values() if k.public == public), None)

    def wrong(self, seal: Seal, recorder: Recorder) -> str | None:
        """What is wrong with a seal, or None: its key registered by its last event and not
        revoked before its first, its range before it, its signature that of the events."""
        if seal.seq in self._checked:
            return self._checked[seal.seq]
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        key = self.keys.get(seal.key)
        last = next(recorder.read(seal.last, seal.last), None) if 0 < seal.first <= seal.last < seal.seq else None
        problem = None
        if key is None or key.seq > seal.last:
            problem = "signed with a key this log did not register before it"
        elif key.revoked is not None and key.revoked < seal.first:
            problem = f"signed by {key} after its revocation at seq {key.revoked}"
        elif last is None:
            problem = f"it seals seq {seal.first}-{seal.last}, which are not events before it (seq {seal.seq})"
        else:
            try:
                Ed25519PublicKey.from_public_bytes(key.public).verify(
                    base64.b64decode(seal.signature), message(seal.first, seal.last, last.hash)
                )
            except (InvalidSignature, ValueError, binascii.Error):
                problem = f"the signature by {key} does not verify: the events were altered after they were signed"
        self._checked[seal.seq] = problem
        return problem

    def covering(self, seq: int) -> Seal | None:
        """The seal that signs the event at seq (or is it)."""
        if len(self._firsts) != len(self.seals):
            self.seals.sort(key=lambda s: s.first)
            self._firsts[:] = [s.first for s in self.seals]
            self._at.clear()
            self._at.update((s.seq, s) for s in self.seals)
        if seq in self._at:
            return self._at[seq]
        i = bisect.bisect_right(self._firsts, seq) - 1
        return self.seals[i] if i >= 0 and self.seals[i].last >= seq else None

    def signer(self, seq: int, recorder: Recorder) -> str:
        """How a person is told who recorded the event at seq: "signed by NAME (fingerprint)",
        "unsigned", or what is wrong with the signature that claims it."""
        seal = self.covering(seq)
        if seal is None:
            return "unsigned"
        problem = self.wrong(seal, recorder)
        if problem is not None:
            return f"BAD: {problem}"
        if seal.seq == seq:  # a seal is the signature itself
            return f"the signature of seq {seal.first}-{seal.last}"
        return f"signed by {self.keys[seal.key]}"

    def unsigned(self, head: int) -> list[tuple[int, int]]:
        """The seq ranges no seal covers (the seals themselves aside)."""
        covered = sorted([(s.first, s.last) for s in self.seals] + [(s.seq, s.seq) for s in self.seals])
        gaps, upto = [], 0
        for first, last in covered:
            if first > upto + 1:
                gaps.append((upto + 1, first - 1))
            upto = max(upto, last)
        if upto < head:
            gaps.append((upto + 1, head))
        return gaps

    def problem(self, recorder: Recorder, head: int) -> Problem | None:
        """The first thing wrong with the log's signatures: a seal that does not hold, or
        an event after SignaturesRequired that no seal covers."""
        from accords.events.integrity import Problem

        found = []
        for seal in self.seals:
            wrong = self.wrong(seal, recorder)
            if wrong is not None:
                found.append(Problem(seal.first, f"seq {seal.first}-{seal.last}: {wrong}"))
        if self.required is not None:
            for first, last in self.unsigned(head):
                if last >= self.required:
                    start = max(first, self.required)
                    found.append(
                        Problem(start, f"unsigned, but this log requires signatures since seq {self.required}")
                    )
                    break
        return min(found, key=lambda p: p.seq, default=None)
