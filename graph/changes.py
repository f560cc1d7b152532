"""What changed in what the record believes: event by event (replay), or between two points (diff)."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from accords.events.listing import summary
from accords.events.personal import reading
from accords.events.store import Recorder
from accords.graph.labels import Labels
from accords.graph.projection import Projection, parse_view, tell, view
from accords.graph.terms import BELIEF, ID, PROVENANCE, acc, short


def describe(triple: Any, labels: Labels) -> str:
    s, p, o = triple
    return f"{labels(s)} · {labels(p)} · {labels(o)}"


def claims_of(triple: Any, store: ox.Store) -> str:
    """The claims whose statement holds triple (by key, else short id): what to trace."""
    s, p, o = triple
    names = set()
    for quad in store.quads_for_pattern(s, p, o, None):
        claim = quad.graph_name
        if isinstance(claim, ox.NamedNode) and claim.value.startswith(ID + "claim/"):
            key = next((q.object for q in store.quads_for_pattern(claim, acc("key"), None, PROVENANCE)), None)
            names.add(key.value if isinstance(key, ox.Literal) else short(claim.value))
    return ", ".join(sorted(names))


def replay(recorder: Recorder, start: int = 1, stop: int | None = None) -> list[dict[str, Any]]:
    """One row per event from start to stop: the event, and the beliefs it added and removed."""
    projection = Projection.memory()
    labels = Labels(projection.store)
    rows: list[dict[str, Any]] = []

    def step(event: Any, delta: Any) -> None:
        if event.seq < start:
            return
        rows.append(
            {
                "seq": event.seq,
                "type": event.type,
                "key": event.key,
                "event": summary(event),
                "added": [describe(t, labels) for t in delta.added],
                "removed": [describe(t, labels) for t in delta.removed],
            }
        )

    projection.fold(reading(recorder, 1, stop), track=True, on_event=step)
    tell(projection)
    return rows


def diff(recorder: Recorder, a: str, b: str) -> list[dict[str, Any]]:
    """What the record believed at b (a seq or a time) that it did not at a (gained), and the
    reverse (lost), each with the claims that said it."""
    sides = [view(recorder, parse_view(point, None, None, recorder)) for point in (a, b)]
    beliefs = [
        {(q.subject, q.predicate, q.object) for q in p.store.quads_for_pattern(None, None, None, BELIEF)} for p in sides
    ]
    rows = []
    for change, was, now in (("gained", 0, 1), ("lost", 1, 0)):
        labels, store = Labels(sides[now].store), sides[now].store
        rows += [
            {"change": change, "statement": describe(t, labels), "claims": claims_of(t, store)}
            for t in beliefs[now] - beliefs[was]
        ]
    rows.sort(key=lambda r: (r["change"], r["claims"], r["statement"]))
    return rows
