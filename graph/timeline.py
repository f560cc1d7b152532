"""Findings across history: when each graph-shape result appeared, and when it went away.

The log is folded event by event (Projection.fold with track=True); after each event
only these focus nodes are re-validated: the nodes it touched (the subjects and objects
of its belief delta, its claim, source or entities), and for each shape either the
dependents it declares (accsh:dependents, which then name all it depends on) or, when it
declares none, the focus nodes of its open findings whose value is a touched node. A
test holds the results equal to a full validation at every step of generated histories.

The disagreements of the things an event's claims frame are judged in batches: a thing
waits until a later event touches it again (or the walk ends), and all that wait are judged
by one query as of the event before (record time: what was recorded after it, or retracted
after it, is out of that view), each finding dated by the event that touched its thing. No
event in between touched them, so the rows are theirs after that event; one query a batch
instead of one an event (the query's planning alone takes 4 ms).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from accords.events.model import Event
from accords.graph import judgement
from accords.graph.fold import Delta
from accords.graph.projection import Projection, View
from accords.graph.statement_rdf import entity_iri
from accords.graph.terms import PROVENANCE, Term, claim_iri, prov, source_iri
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
    elif event.type == "SourceAssessed":  # the source, and the sources that rest on it
        found = [source_iri(body["source"])]
        while found:
            source = found.pop()
            if source not in nodes:
                nodes.add(source)
                found += [q.subject for q in store.quads_for_pattern(None, prov("wasDerivedFrom"), source, PROVENANCE)]  # type: ignore[misc]
    elif event.type == "EntitiesMerged":
        nodes |= {entity_iri(e) for e in body["entities"]}
    elif event.type in ("DerivationJudged", "DerivationUndone"):  # how many sources stand behind each claim
        claims += judgement.resting_on(store, judgement.judged_source(store, event))
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
    """Open findings while the log is folded, and the spans of those that closed.

    Open findings are indexed by (node shape, focus), and by value for the shapes that
    declare no dependents, so that a step costs what the event touched, not what is open.
    (A finding whose focus was touched is re-checked anyway; a transfer's finding names
    its destination state, and re-checking every open one at each claim about that state
    grew with the history.)
    """

    def __init__(self, projection: Projection, shapes: Shapes | None = None) -> None:
        self.projection = projection
        self.validator = Validator(projection.store, shapes)
        self.owners = self.validator.shapes.owners()
        self.by_value_shapes = {g.shape.iri for g in self.validator.shapes.shapes if g.dependents is None}
        self.open: dict[Key, Span] = {}
        self.closed: list[Span] = []
        self.by_focus: dict[tuple[str, Term], set[Key]] = defaultdict(set)
        self.by_value: dict[Term, set[Key]] = defaultdict(set)
        # the things to judge, each with the event that touched it; and the last event folded
        self.waiting: dict[ox.NamedNode, tuple[int, str | None]] = {}
        self.seq = 0

    def step(self, event: Event, delta: Delta) -> None:
        nodes = touched(event, delta, self.projection.store)
        changed: set[Term] = {s for s, _p, _o in delta.added + delta.removed}
        judged = judgement.touched(self.projection.store, [event])  # what the claims it names frame or deny
        if not judged.isdisjoint(self.waiting):
            self.settle()
        at = (event.seq, event.key)
        self._record(*self.validator.validate_focus(nodes, changed, self.recheck(nodes)), at)
        self.waiting.update(dict.fromkeys(judged, at))
        self.seq = event.seq

    def settle(self) -> None:
        """Judge the things that wait, as of the last event folded, each finding dated by the
        event that touched its thing."""
        if not self.waiting:
            return
        found = judgement.about(self.projection.store, self.waiting, at=View(as_of=self.seq))
        by_event: dict[tuple[int, str | None], set[Term]] = defaultdict(set)
        for thing, at in self.waiting.items():
            by_event[at].add(thing)
        for at, things in sorted(by_event.items(), key=lambda item: item[0][0]):
            results = [d.finding() for d in found if d.subject in things]
            self._record(results, {judgement.SHAPE: things}, at)
        self.waiting.clear()

    def _record(self, results: list[Result], checked: dict[str, set[Term]], at: tuple[int, str | None]) -> None:
        now = {key(r): r for r in results}
        for shape, foci in checked.items():
            for focus in foci:
                for k in list(self.by_focus.get((shape, focus), ())):
                    if k not in now:
                        self._close(k, at)
        for k, result in now.items():
            if k not in self.open:
                self._open(k, Span(result, at))

    def _owner(self, result: Result) -> str:
        return self.owners.get(result.shape, result.shape)

    def _open(self, k: Key, span: Span) -> None:
        self.open[k] = span
        owner = self._owner(span.result)
        self.by_focus[(owner, span.result.focus)].add(k)
        if span.result.value is not None and owner in self.by_value_shapes:
            self.by_value[span.result.value].add(k)

    def _close(self, k: Key, at: tuple[int, str | None]) -> None:
        span = self.open.pop(k)
        self.closed.append(Span(span.result, span.introduced, at))
        self.by_focus[(self._owner(span.result), span.result.focus)].discard(k)
        if span.result.value is not None:
            self.by_value[span.result.value].discard(k)

    def recheck(self, nodes: set[Term]) -> dict[str, set[Term]]:
        """Per node shape, the focus nodes of open findings whose value is one of nodes."""
        found: dict[str, set[Term]] = {}
        for node in nodes:
            for k in self.by_value.get(node, ()):
                r = self.open[k].result
                found.setdefault(self._owner(r), set()).add(r.focus)
        return found

    def spans(self) -> list[Span]:
        """Every finding, closed and still open, in the order they were introduced."""
        return sorted(self.closed + list(self.open.values()), key=lambda s: (s.introduced[0], key(s.result)))


def over_time(
    events: Iterator[Event],
    shapes: Shapes | None = None,
    admit: Any = None,
    after: Callable[[Timeline, Event], None] | None = None,
) -> list[Span]:
    """Fold events into a fresh in-memory projection, tracking findings event by event."""
    projection = Projection.memory()
    timeline = Timeline(projection, shapes)

    def on_event(event: Event, delta: Delta) -> None:
        timeline.step(event, delta)
        if after is not None:
            after(timeline, event)

    projection.fold(events, admit=admit, track=True, on_event=on_event)
    timeline.settle()
    return timeline.spans()
