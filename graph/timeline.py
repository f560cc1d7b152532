"""Findings across history: when each graph-shape result appeared, and when it went away.

The log is folded event by event (Projection.fold with track=True); after each event
only these focus nodes are re-validated: the nodes it touched (the subjects and objects
of its belief delta, its claim, source or entities), the focus nodes of open findings
whose focus or value is one of those, and the dependents the shapes declare (accsh:dependents). A
test holds the results equal to a full validation at every step of generated histories.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from accords.events.model import Event
from accords.graph.fold import Delta
from accords.graph.projection import Projection
from accords.graph.statements import entity_iri
from accords.graph.terms import Term, claim_iri, source_iri
from accords.graph.validation import Shapes, Validator
from accords.ontology.shapecheck import Result

Key = tuple[str, str, str, str]


def key(result: Result) -> Key:
    return (result.shape, str(result.focus), str(result.path), str(result.value))


@dataclass(frozen=True)
class Span:
    """One finding's life: the event (seq, key) that introduced it, and the one that resolved it."""

    result: Result
    introduced: tuple[int, str | None]
    resolved: tuple[int, str | None] | None = None


def touched(event: Event, delta: Delta, store: ox.Store) -> set[Term]:
    """The nodes an event changed: its belief delta, and the claim, source or entities it names."""
    nodes: set[Term] = set()
    for s, _p, o in delta.added + delta.removed:
        nodes.add(s)
        if isinstance(o, ox.NamedNode):
            nodes.add(o)
    body = event.data()
    claims = []
    if event.type == "ClaimRecorded":
        claims.append(claim_iri(event.id))
        nodes.add(source_iri(body["source"]))
    elif event.type == "SourceRegistered":
        nodes.add(source_iri(event.id))
    elif event.type == "SourceCorrected":
        nodes.add(source_iri(body["source"]))
    elif event.type == "EntitiesMerged":
        nodes |= {entity_iri(e) for e in body["entities"]}
    for name in ("claim", "replacement"):
        if name in body and event.type != "ClaimRecorded":
            claims.append(claim_iri(body[name]))
    for claim in claims:
        nodes.add(claim)
        for q in store.quads_for_pattern(None, None, None, claim):
            nodes.add(q.subject)  # type: ignore[arg-type]
            if isinstance(q.object, ox.NamedNode):
                nodes.add(q.object)
    return nodes


class Timeline:
    """Open findings while the log is folded, and the spans of those that closed."""

    def __init__(self, projection: Projection, shapes: Shapes | None = None) -> None:
        self.projection = projection
        self.validator = Validator(projection.store, shapes)
        self.owners = self.validator.shapes.owners()
        self.open: dict[Key, Span] = {}
        self.closed: list[Span] = []

    def step(self, event: Event, delta: Delta) -> None:
        nodes = touched(event, delta, self.projection.store)
        results, checked = self.validator.validate_focus(nodes, self.recheck(nodes))
        now = {key(r): r for r in results}
        at = (event.seq, event.key)
        for k, span in list(self.open.items()):
            if k not in now and span.result.focus in checked.get(self.owners.get(k[0], k[0]), ()):
                self.closed.append(Span(span.result, span.introduced, at))
                del self.open[k]
        for k, result in now.items():
            if k not in self.open:
                self.open[k] = Span(result, at)

    def recheck(self, nodes: set[Term]) -> dict[str, set[Term]]:
        """Per node shape, the focus nodes of open findings whose focus or value is one of nodes."""
        found: dict[str, set[Term]] = {}
        for span in self.open.values():
            r = span.result
            if r.focus in nodes or r.value in nodes:
                found.setdefault(self.owners.get(r.shape, r.shape), set()).add(r.focus)
        return found

    def spans(self) -> list[Span]:
        """Every finding, closed and still open, in the order they were introduced."""
        return sorted(self.closed + list(self.open.values()), key=lambda s: (s.introduced[0], key(s.result)))


def over_time(
    events: Iterator[Event], shapes: Shapes | None = None, admit: Any = None,
    after: Callable[[Timeline, Event], None] | None = None,
) -> list[Span]:  # fmt: skip
    """Fold events into a fresh in-memory projection, tracking findings event by event."""
    projection = Projection.memory()
    timeline = Timeline(projection, shapes)

    def on_event(event: Event, delta: Delta) -> None:
        timeline.step(event, delta)
        if after is not None:
            after(timeline, event)

    projection.fold(events, admit=admit, track=True, on_event=on_event)
    return timeline.spans()
