"""Whether the projection on disk is the fold of the log it says it reflects (verify --graph).

The fold is a function of the events (graph/fold.py), so the check folds the log afresh
in memory up to the projection's head, judging disagreements at the seq whose judgement
the projection keeps, and compares the two datasets quad for quad: a cost linear in the
log. Each dataset is dumped as N-Quads and summed as a multiset of line digests (order
free, flat in memory); only when the sums differ are the lines themselves compared, to
name what differs. A projection that fails is set aside: the next read rebuilds it.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from accords.events.personal import reading
from accords.events.store import Recorder
from accords.graph import judgement
from accords.graph.projection import Projection, _Lock, built, default_location

_EXAMPLES = 3  # lines of each kind of difference shown


@dataclass(frozen=True, slots=True)
class Refolded:
    """What the check found: the projection's path and head, and whether it is the fold of
    the log ("ok"), is not ("differs", saying what differs), or is not one to check: an
    unfinished build or one of another version, which the next read builds afresh ("stale")."""

    path: Path
    seq: int
    status: str
    problem: str = ""


def check(recorder: Recorder, location: Path | None = None) -> Refolded | None:
    """Fold the log afresh and compare it with the projection at location (default: the
    store's); None when there is no projection to check. A projection that is not the
    fold is removed, so that no read answers from it again."""
    path = location or default_location(recorder.url)
    if not path.exists():
        return None
    lock = _Lock(path)
    lock.take(exclusive=True)  # no command writes it meanwhile; it may be set aside
    disk = Projection(ox.Store.read_only(str(path)))
    head, kept = disk.head(), judgement.kept_seq(disk.store)
    if head.empty or disk.built_with() != built():
        return Refolded(path, head.seq, "stale")
    problem = _problem(recorder, disk, head.seq, head.hash, kept)
    del disk
    if problem is None:
        return Refolded(path, head.seq, "ok")
    shutil.rmtree(path)
    return Refolded(path, head.seq, "differs", problem)


def _problem(recorder: Recorder, disk: Projection, seq: int, hash_: str, kept: int | None) -> str | None:
    at = next(recorder.read(seq, seq), None) if seq else None
    if at is None or at.hash != hash_:
        return f"it says it reflects seq {seq} ({hash_[:12]}), which is not in this log"
    fold = Projection.memory()
    if kept is not None and kept <= seq:
        fold.fold(reading(recorder, 1, kept))
        judgement.keep(fold.store, kept)
    fold.fold(reading(recorder, fold.head().seq + 1, seq))
    if _digest(disk.store) == _digest(fold.store):
        return None
    held, made = set(_lines(disk.store)), set(_lines(fold.store))
    extra, missing = sorted(held - made), sorted(made - held)
    said = [f"{len(extra)} quads it holds are not in the fold of the log", f"{len(missing)} of the fold's are missing"]
    examples = [f"  + {line.decode().rstrip()}" for line in extra[:_EXAMPLES]]
    examples += [f"  - {line.decode().rstrip()}" for line in missing[:_EXAMPLES]]
    return "; ".join(said) + "\n" + "\n".join(examples)


def _lines(store: ox.Store) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as file:
        store.dump(file, format=ox.RdfFormat.N_QUADS)
        file.seek(0)
        yield from file


def _digest(store: ox.Store) -> int:
    """The sum of the quads' digests: the same for the same quads, in any order."""
    total = 0
    for line in _lines(store):
        total += int.from_bytes(hashlib.blake2b(line, digest_size=16).digest(), "big")
    return total % (1 << 128)
