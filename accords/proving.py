"""What proves the log: verify, checkpoints and signed notes, proofs, and the keys recorders
sign with: the part of accords.Record (api.py) that the audit and key commands call."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accords.events.errors import NotConforming
from accords.events.log import Appended, Draft, Log
from accords.events.signatures import Ledger, Signer, fingerprint
from accords.events.store import Recorder

if TYPE_CHECKING:
    from accords.events.integrity import Problem, Verified
    from accords.graph.refold import Refolded


class Proving:
    """Record's methods that prove the log and manage its keys (a mixin: it reads the
    Record's recorder and log)."""

    recorder: Recorder
    log: Log

    # -- keys and signatures (events/signatures.py) --------------------------------------

    def register_key(self, name: str, public_key: Path, *, note: str | None = None) -> Appended:
        """Register the Ed25519 public key (PEM) that name signs with."""
        from accords.events.signatures import public_key_base64

        body = {"name": name, "public_key": public_key_base64(public_key), **({"note": note} if note else {})}
        return self.log.append([Draft("KeyRegistered", body)])

    def new_key(self, name: str, private_key: Path, *, note: str | None = None) -> Appended:
        """Make an Ed25519 key, write its private half to private_key (PEM, readable by you
        alone; refused if the file exists), and register it, signed by itself: this Record
        signs with it from then on."""
        from accords.events.signatures import make_key

        make_key(private_key)
        self.log.signer = Signer.load(private_key)
        self.log.recorded_by = name
        public = base64.b64encode(self.log.signer.public).decode()
        body = {"name": name, "public_key": public, **({"note": note} if note else {})}
        return self.log.append([Draft("KeyRegistered", body)])

    def revoke_key(self, key: str, reason: str) -> Appended:
        """Revoke a key (its registration's key or id, or its fingerprint): it signs nothing after."""
        return self.log.append([Draft("KeyRevoked", {"key": self._key_ref(key), "reason": reason})])

    def require_signatures(self, reason: str) -> Appended:
        """From this event on, every append must be signed (this one too)."""
        return self.log.append([Draft("SignaturesRequired", {"reason": reason})])

    def ledger(self) -> Ledger:
        """What the log says of keys and signatures."""
        return Ledger.read(self.recorder)

    def _key_ref(self, key: str) -> str:
        for registered in self.ledger().keys.values():
            if fingerprint(registered.public) == key.lower():
                return registered.id
        return key

    # -- proving ------------------------------------------------------------------------

    def checkpoint(self, key_file: Path | None = None) -> dict[str, Any]:
        """A Merkle tree head (RFC 6962) over the whole log, signed with an Ed25519 key (PEM) if given."""
        from accords.events import integrity
        from accords.events.model import timestamp

        key = integrity.load_private_key(key_file) if key_file else None
        now = timestamp(dt.datetime.now(dt.timezone.utc))
        return integrity.checkpoint_json(integrity.make_checkpoint(self.recorder, now, key))

    def signed_note(self, key_file: Path, name: str) -> tuple[str, str]:
        """A checkpoint over the whole log as a C2SP signed note of the log called name (its
        origin and key name), and the verifier key to give its readers (events/note.py)."""
        from accords.events import integrity, note
        from accords.events.model import timestamp

        key = integrity.load_private_key(key_file)
        cp = integrity.make_checkpoint(self.recorder, timestamp(dt.datetime.now(dt.timezone.utc)), key)
        text = note.checkpoint_text(name, cp.tree_size, bytes.fromhex(cp.root))
        return note.sign(text, name, key), str(note.verifier(name, key))

    def extends(self, signed: str, key: str, where: str = "checkpoint") -> Problem | None:
        """Whether the log extends a checkpoint received as a signed note (text), signed by the
        verifier key: None, or where and what it lacks. NotConforming when the note is not
        signed by that key or was altered; InputError when it is no checkpoint."""
        from accords.events import integrity, merkle, note
        from accords.events.integrity import Problem

        cp = note.parse_checkpoint(note.open_note(signed, note.parse_verifier(key, "--key"), where), where)
        head = self.recorder.head()
        if cp.size > head.seq:
            return Problem(
                head.seq + 1,
                f"{where} ({cp.origin}) covers {cp.size} events, the log ends at seq {head.seq}:"
                f" seq {head.seq + 1}-{cp.size} went missing",
            )
        if merkle.root(integrity.leaves(self.recorder, cp.size)) != cp.root:
            return Problem(
                cp.size,
                f"events 1..{cp.size} are not those {where} ({cp.origin}) signed: the log was rewritten at or before seq {cp.size}",
            )
        return None

    def prove_inclusion(self, event: str, tree_size: int | None = None) -> dict[str, Any]:
        """A proof that the event (key, id or id prefix) is in the log (of its first tree_size events)."""
        from accords.events import integrity

        return integrity.inclusion(self.recorder, self.log.find(event), tree_size)

    def prove_consistency(
        self,
        checkpoint: Any,
        name: str = "checkpoint",
        tree_size: int | None = None,
        public_key: str | None = None,
    ) -> dict[str, Any]:
        """A proof that the log extends an old checkpoint (its JSON), or NotConforming: a signature
        that does not verify, one not by public_key (hex), or history rewritten since."""
        from accords.events import integrity

        cp = integrity.checkpoint_from_json(checkpoint, name)
        if cp.signature and not integrity.signature_valid(cp):
            raise NotConforming(f"{name}: the checkpoint's signature does not verify")
        if public_key is not None and (not cp.signature or cp.public_key != public_key.lower()):
            raise NotConforming(
                f"{name}: the checkpoint is not signed by key {public_key}",
                "a signature proves who made a checkpoint only against a key you hold",
            )
        return integrity.consistency(self.recorder, cp, tree_size)

    def verify(self, processes: int | None = None, progress: Callable[[int], None] | None = None) -> Verified:
        """Recompute every hash and link of the log (and its checkpoints), check that it
        extends the newest head this user saw of it (events/witness.py), which then moves
        to its head, and check every signature (events/signatures.py) and the bytes of every
        capture (events/captures.py); the first problem, if any. progress(events checked)
        is called about every 10,000 events."""
        from accords.events import captures, witness
        from accords.events.integrity import Problem, Verified, verify

        result = verify(self.recorder, progress, processes)
        if result.problem is None:
            head = self.recorder.head()
            gone = witness.missing(self.recorder, head)
            if gone is not None:
                return Verified(result.events, result.head, Problem(*gone))
            witness.remember(self.recorder, head)
            signed = self.ledger().problem(self.recorder, head.seq)
            if signed is not None:
                return Verified(result.events, result.head, signed)
            captured = captures.problem(self.recorder)
            if captured is not None:
                return Verified(result.events, result.head, captured)
        return result

    def verify_graph(self) -> Refolded | None:
        """Whether the RDF projection is the fold of the log it says it reflects (a projection
        that is not is removed: the next read rebuilds it); None when there is none yet."""
        from accords.graph.refold import check

        return check(self.recorder)


def check_proof(doc: Any, name: str = "proof", root: str | None = None) -> str:
    """Check a proof document without the log (RFC 9162); what it verifies, or NotConforming.
    With root, the proof must link that root (one you hold): a proof only links the roots it names."""
    from accords.events.integrity import check_proof as check

    named = [doc[k] for k in ("root", "old_root", "new_root") if isinstance(doc, dict) and isinstance(doc.get(k), str)]
    if not check(doc, name):
        raise NotConforming(f"{name}: the {doc.get('proof') if isinstance(doc, dict) else ''} proof does not verify")
    if root is not None and root.lower() not in named:
        raise NotConforming(
            f"{name}: the proof verifies, but it is not about root {root}", f"it links {' and '.join(named)}"
        )
    if root is None:
        return f"the {doc['proof']} proof verifies against the roots it names; give --root to check it against one you hold"
    return f"the {doc['proof']} proof verifies, and is about root {root.lower()}"
