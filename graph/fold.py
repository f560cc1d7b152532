"""The fold: how each event changes the RDF dataset (DESIGN §5).

Graphs: one named graph per claim holding its statement; graph:provenance describing
claims and sources with PROV-O; graph:belief holding the statements of active,
affirmed claims. A belief triple goes only when no other active, affirmed claim
graph holds it. Everything here is a function of the events, so a rebuild equals
the live projection byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pyoxigraph as ox

from accords.events.dates import bounds, publication
from accords.events.errors import AccordsError
from accords.events.model import Event
from accords.graph.statement_rdf import FRAME, Triple, entity_iri, frames, statement_triples
from accords.graph.terms import (
    BELIEF,
    DCT,
    LABEL,
    OWL,
    Term,
    PROVENANCE,
    SCHEMA,
    TYPE,
    XSD,
    acc,
    agent_iri,
    claim_iri,
    event_iri,
    prov,
    source_iri,
)

OA_EXACT = ox.NamedNode("http://www.w3.org/ns/oa#exact")
OA_SELECTOR = ox.NamedNode("http://www.w3.org/ns/oa#hasSelector")
OA_TEXT_QUOTE = ox.NamedNode("http://www.w3.org/ns/oa#TextQuoteSelector")
SAME_AS = ox.NamedNode(OWL + "sameAs")
ACTIVE, STATUS, POLARITY, AFFIRMED = acc("active"), acc("status"), acc("polarity"), acc("affirmed")

Admit = Callable[[dict[str, Any], ox.NamedNode], bool]
"""Whether a claim (its body, its source) enters this view; all claims by default."""

Sink = Callable[[Iterable[ox.Quad]], None]
"""Where a build from nothing sends the quads that are final (an on-disk bulk loader)."""

# The provenance a build from nothing reads back (besides statuses, which it also removes):
# polarity (was a claim believed), merged entities, and that a claim was admitted. It never
# reads sources' publication bounds back: every source was registered in the same fold.
_READ_BACK = {POLARITY, acc("entity"), acc("declaredFrom"), acc("judgedSource"), acc("judgedFrom"), acc("undoneBy")}
DERIVED = prov("wasDerivedFrom")
CLAIM = acc("Claim")


@cache
def _xsd(name: str) -> ox.NamedNode:
    return ox.NamedNode(XSD + name)


def _lit(value: Any, datatype: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(str(value), datatype=_xsd(datatype))
    return ox.Literal(str(value))


def upstream_iri(upstream: str) -> ox.NamedNode:
    """What a source derives from: a source (its id), or an agency or outlet ("actor/afp")."""
    return entity_iri(upstream) if upstream.startswith("actor/") else source_iri(upstream)


def _date_bounds(subject: ox.NamedNode, text: str, low: str, high: str) -> list[Triple]:
    b = bounds(text)
    out: list[Triple] = []
    if b.earliest:
        out.append((subject, acc(low), _lit(b.earliest.isoformat(), "date")))
    if b.latest:
        out.append((subject, acc(high), _lit(b.latest.isoformat(), "date")))
    return out


class Erased(Exception):
    """A PersonErased event met by a fold that adds to a dataset on disk: what it held of
    the person must go from its files, so the dataset is built again from the log."""


class Unprojectable(Exception):
    """An event the fold cannot apply (a log written by an older version: a field missing,
    an identifier no IRI can hold); applying it changed nothing."""

    def __init__(self, event: Event, reason: str) -> None:
        super().__init__(f"seq {event.seq} ({event.type}) could not be projected: {reason}")
        self.event, self.reason = event, reason


@dataclass
class Delta:
    """What one event changed in the belief graph."""

    added: list[Triple] = field(default_factory=list)
    removed: list[Triple] = field(default_factory=list)


class Fold:
    """Applies events in log order to a pyoxigraph store."""

    def __init__(
        self,
        store: ox.Store,
        admit: Admit | None = None,
        track: bool = False,
        sink: Sink | None = None,
        on_disk: bool = False,
    ) -> None:
        self.store = store
        self.on_disk = on_disk  # adds to a dataset on disk: an erasure raises Erased
        self.admit = admit
        self.track = track  # compute belief deltas (replay); costs a lookup per triple
        # With a sink, a quad that can never go (all but belief and statuses) goes to the sink
        # as it is made, and into the store only if the fold reads it back: claim graphs and
        # _READ_BACK. The store's own share is then what remaining() yields at the end.
        self.sink = sink
        self.sunk: list[ox.Quad] = []  # what this event sends the sink, sent once it is applied
        self.pending: list[ox.Quad] = []
        self.mark = 0  # where the event being applied began adding to pending
        self.published_cache: dict[str, list[tuple[ox.NamedNode, Term]]] = {}
        self.agents: set[tuple[str, str]] = set()  # (kind, name) of the agents described so far
        self.fresh: list[tuple[str, str]] = []  # those this event describes first

    def _published(self, source: ox.NamedNode) -> list[tuple[ox.NamedNode, Term]]:
        """A source's publication bounds, which its claims carry for --known-by."""
        if source.value not in self.published_cache:
            self.flush()
            self.published_cache[source.value] = [
                (q.predicate, q.object)
                for p in (acc("publishedEarliest"), acc("publishedLatest"))
                for q in self.store.quads_for_pattern(source, p, None, PROVENANCE)
                if not isinstance(q.object, ox.Triple)
            ]
        return self.published_cache[source.value]

    def _agent(self, kind: str, name: str) -> tuple[ox.NamedNode, list[Triple]]:
        """An agent's IRI, with its type and label the first time this fold names it.

        They never change, and most events name an agent named before: made again, they
        cost a tenth of the quads of a build and the stores drop them as duplicates.
        """
        iri = agent_iri(kind, name)
        if (kind, name) in self.agents:
            return iri, []
        self.fresh.append((kind, name))
        return iri, [(iri, TYPE, prov("Agent")), (iri, LABEL, _lit(name))]

    def flush(self) -> None:
        if self.pending:
            self.store.extend(self.pending)
            self.pending.clear()
        self.mark = 0

    def _add(self, triples: list[Triple], graph: ox.NamedNode) -> None:
        if self.sink is None or graph == BELIEF:
            self.pending.extend(ox.Quad(s, p, o, graph) for s, p, o in triples)
            return
        quads = [ox.Quad(s, p, o, graph) for s, p, o in triples]
        if graph != PROVENANCE:  # a claim graph: never changes, and _unbelieve reads it
            self.sunk.extend(quads)
            self.pending.extend(quads)
            return
        self.sunk.extend(q for q, (_, p, _) in zip(quads, triples) if p != STATUS)
        self.pending.extend(
            q for q, (_, p, o) in zip(quads, triples) if p in _READ_BACK or p == STATUS or (p == TYPE and o == CLAIM)
        )

    def remaining(self) -> Iterator[ox.Quad]:
        """With a sink: the quads the store holds that did not go to it, belief, statuses and
        the derivations judgements made (the rest of provenance went to the sink)."""
        self.flush()
        yield from self.store.quads_for_pattern(None, None, None, BELIEF)
        yield from self.store.quads_for_pattern(None, STATUS, None, PROVENANCE)
        yield from self.store.quads_for_pattern(None, DERIVED, None, PROVENANCE)

    def apply(self, event: Event) -> Delta:
        """What event changes; Unprojectable, having changed nothing, if it cannot be applied.
        (Each handler makes every term before it writes, so what can fail fails first.)"""
        body = event.data()
        delta = Delta()
        self.mark = len(self.pending)
        try:
            handler = getattr(self, "_" + event.type, None)
            if handler is None:
                raise AccordsError(f"no event type {event.type!r}")
            handler(event, body, delta)
        except (AccordsError, KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
            del self.pending[self.mark :]
            self.sunk.clear()
            self.fresh.clear()
            why = f"its body has no {e.args[0]!r}" if isinstance(e, KeyError) else str(e.args[0]) if e.args else ""
            raise Unprojectable(event, why or type(e).__name__) from None
        self.agents.update(self.fresh)
        self.fresh.clear()
        if self.sunk:
            assert self.sink is not None
            self.sink(self.sunk)
            self.sunk = []
        if self.track:
            self.flush()
        return delta

    def _record(self, event: Event, subject: ox.NamedNode) -> list[Triple]:
        """What every event's subject carries: its id, key, seq, hash, time and recorder."""
        recorder, described = self._agent("recorder", event.recorded_by)
        out: list[Triple] = [
            (subject, acc("eventId"), _lit(event.id)),
            (subject, acc("seq"), _lit(event.seq, "integer")),
            (subject, acc("eventHash"), _lit(event.hash)),
            (subject, prov("generatedAtTime"), _lit(event.recorded_at, "dateTime")),
            (subject, acc("recordedBy"), recorder),
            *described,
        ]
        if event.key:
            out.append((subject, acc("key"), _lit(event.key)))
        return out

    def _PersonErased(self, event: Event, body: dict[str, Any], delta: Delta) -> None:
        """Claims are read with the keys held now (events/personal.py): a fold from the
        first event finds the person erased already; one that adds to a dataset cannot."""
        if self.on_disk:
            raise Erased(body["person"])

    def _SourceRegistered(self, event: Event, body: dict[str, Any], delta: Delta) -> None:
        s = source_iri(event.id)
        t = self._record(event, s) + [
            (s, TYPE, acc("Source")),
            (s, TYPE, prov("Entity")),
            (s, ox.NamedNode(DCT + "title"), _lit(body["title"])),
            (s, acc("sourceKind"), acc(body["kind"])),
        ]
        if "publisher" in body:
            publisher, described = self._agent("publisher", body["publisher"])
            t += [(s, ox.NamedNode(DCT + "publisher"), publisher), *described]
        if "published" in body:
            t.append((s, ox.NamedNode(DCT + "issued"), _lit(body["published"])))
        when = publication(body.get("published"), event.recorded_at)
        published = [
            (s, acc(name), _lit(day.isoformat(), "date"))
            for name, day in (("publishedEarliest", when.earliest), ("publishedLatest", when.latest))
            if day
        ]
        t += published
        for name, predicate in (
            ("url", SCHEMA + "url"),
            ("language", DCT + "language"),
            ("author", DCT + "creator"),
            ("archive_url", SCHEMA + "archivedAt"),
            ("content_hash", acc("contentHash").value),
            ("note", SCHEMA + "comment"),
        ):
            if name in body:
                t.append((s, ox.NamedNode(predicate), _lit(body[name])))
        for upstream in body.get("derived_from", []):  # declared: no judgement undoes it
            t += [(s, DERIVED, upstream_iri(upstream)), (s, acc("declaredFrom"), upstream_iri(upstream))]
        self.published_cache[s.value] = [(p, o) for _, p, o in published]
        self._add(t, PROVENANCE)

    def _ClaimRecorded(self, event: Event, body: dict[str, Any], delta: Delta) -> None:
        c, source = claim_iri(event.id), source_iri(body["source"])
        if self.admit is not None and not self.admit(body, source):
            return
        blank = c.value + "/statement"
        statement = statement_triples(body["statement"], blank)
        speaker, described = self._agent("speaker", body["attributed_to"])
        quotation, selector = ox.NamedNode(c.value + "/quotation"), ox.NamedNode(c.value + "/quote")
        t = self._record(event, c) + [
            (c, TYPE, acc("Claim")),
            (c, TYPE, prov("Entity")),
            (c, prov("wasDerivedFrom"), source),
            (c, acc("quote"), _lit(body["quote"])),
            (c, prov("qualifiedQuotation"), quotation),
            (quotation, TYPE, prov("Quotation")),
            (quotation, prov("entity"), source),
            (quotation, OA_SELECTOR, selector),
            (selector, TYPE, OA_TEXT_QUOTE),
            (selector, OA_EXACT, _lit(body["quote"])),
            (c, prov("wasAttributedTo"), speaker),
            *described,
            (c, acc("certainty"), acc(body["certainty"])),
            (c, POLARITY, acc(body["polarity"])),
            (c, STATUS, ACTIVE),
        ]
        for subject, predicate, obj in statement:
            if predicate == TYPE:
                t += [(c, acc("about"), subject), (c, acc("statementType"), obj)]
        if "valid_time" in body:
            t.append((c, acc("validTime"), _lit(body["valid_time"])))
            t += _date_bounds(c, body["valid_time"], "validFrom", "validUntil")
        if "note" in body:
            t.append((c, ox.NamedNode(SCHEMA + "comment"), _lit(body["note"])))
        for person in body.get("persons", ()):  # as events/personal.py reveals them: [erased] once erased
            p = entity_iri(person["id"])
            t += [(c, acc("mentions"), p), (p, TYPE, acc("Person")), (p, LABEL, _lit(person["name"]))]
            t += [(p, acc("detail"), _lit(f"{k}: {v}")) for k, v in sorted(person["details"].items())]
        t += [(c, p, o) for p, o in self._published(source)]
        framed = statement + frames(statement, blank)  # frames compare claims: not in belief
        self._add(t, PROVENANCE)
        self._add(framed, c)
        if body["polarity"] == "affirmed":
            self._believe(statement, delta)

    def _believe(self, triples: list[Triple], delta: Delta) -> None:
        if self.track:
            for s, p, o in triples:
                if ox.Quad(s, p, o, BELIEF) not in self.store:
                    delta.added.append((s, p, o))
        self._add(triples, BELIEF)

    def _invalidate(self, event: Event, body: dict[str, Any], status: str, delta: Delta) -> None:
        c, e = claim_iri(body["claim"]), event_iri(event.id)
        self.flush()
        if not any(True for _ in self.store.quads_for_pattern(c, TYPE, acc("Claim"), PROVENANCE)):
            return  # a claim this view did not admit
        was_believed = (
            ox.Quad(c, STATUS, ACTIVE, PROVENANCE) in self.store
            and ox.Quad(c, POLARITY, AFFIRMED, PROVENANCE) in self.store
        )
        t = self._record(event, e) + [
            (e, TYPE, acc("Retraction" if status == "retracted" else "Correction")),
            (e, TYPE, prov("Activity")),
            (e, acc("reason"), acc(body["reason"])),
            (c, prov("wasInvalidatedBy"), e),
            (c, acc("invalidatedSeq"), _lit(event.seq, "integer")),
            (c, prov("invalidatedAtTime"), _lit(event.recorded_at, "dateTime")),
            (c, STATUS, acc(status)),
        ]
        if "note" in body:
            t.append((e, ox.NamedNode(SCHEMA + "comment"), _lit(body["note"])))
        if "source" in body:
            t.append((e, prov("wasDerivedFrom"), source_iri(body["source"])))
        if "replacement" in body:
            t += [
                (e, acc("replacement"), claim_iri(body["replacement"])),
                (c, acc("correctedBy"), claim_iri(body["replacement"])),
            ]
        for quad in list(self.store.quads_for_pattern(c, STATUS, None, PROVENANCE)):
            self.store.remove(quad)
        self._add(t, PROVENANCE)
        self.flush()
        if was_believed:
            self._unbelieve(c, delta)

    def _unbelieve(self, c: ox.NamedNode, delta: Delta) -> None:
        """Remove c's statement from belief, triple by triple, unless another claim holds it."""
        for quad in list(self.store.quads_for_pattern(None, None, None, c)):
            if quad.predicate != FRAME and not self._supported(quad, c):
                self.store.remove(ox.Quad(quad.subject, quad.predicate, quad.object, BELIEF))
                delta.removed.append((quad.subject, quad.predicate, quad.object))  # type: ignore[arg-type]

    def _supported(self, quad: ox.Quad, besides: ox.NamedNode) -> bool:
        for other in self.store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None):
            g = other.graph_name
            if g in (besides, BELIEF) or not isinstance(g, ox.NamedNode):
                continue
            if (
                ox.Quad(g, STATUS, ACTIVE, PROVENANCE) in self.store
                and ox.Quad(g, POLARITY, AFFIRMED, PROVENANCE) in self.store
            ):
                return True
        return False

    def _ClaimRetracted(self, event: Event, body: dict[str, Any], delta: Delta) -> None:
        self._invalidate(event, body, "retracted", delta)

    def _ClaimCorrected(self, event: Event, body: dict[str, Any], delta: Delta) -> None:
        self._invalidate(event, body, "corrected", delta)

    def _SourceCorrected(self, event: Event, body: dict[str, Any], delta: Delta) -> None:
        e, s = event_iri(event.id), source_iri(body["source"])
        t = self._record(event, e) + [
            (e, TYPE, acc("SourceCorrection")),
            (e, acc("correction"), _lit(body["correction"])),
            (s, acc("correctedBy"), e),
        ]
        if body.get("retracted"):
            t.append((s, acc("retractedByPublisher"), _lit("true", "boolean")))
        self._add(t, PROVENANCE)

    def _EntitiesMerged(self, event: Event, body: dict[str, Any], delta: Delta) -> None:
        e = event_iri(event.id)
        entities = [entity_iri(x) for x in body["entities"]]
        t = (
            self._record(event, e)
            + [
                (e, TYPE, acc("Merge")),
                (e, acc("judgedBy"), _lit(body["judged_by"])),
                (e, ox.NamedNode(SCHEMA + "comment"), _lit(body["reason"])),
            ]
            + [(e, acc("entity"), x) for x in entities]
        )
        self._add(t, PROVENANCE)
        self._believe([(entities[0], SAME_AS, x) for x in entities[1:]], delta)

    def _undo(self, event: Event, body: dict[str, Any], judgement: ox.NamedNode, kind: str) -> None:
        """An undo of a person's judgement (a merge, a derivation): who undid it and why."""
        e = event_iri(event.id)
        self._add(
            self._record(event, e)
            + [
                (e, TYPE, acc(kind)),
                (judgement, acc("undoneBy"), e),
                (e, acc("judgedBy"), _lit(body["judged_by"])),
                (e, ox.NamedNode(SCHEMA + "comment"), _lit(body["reason"])),
            ],
            PROVENANCE,
        )
        self.flush()

    def _MergeUndone(self, event: Event, body: dict[str, Any], delta: Delta) -> None:
        merge = event_iri(body["merge"])
        self._undo(event, body, merge, "MergeUndo")
        entities = [q.object for q in self.store.quads_for_pattern(merge, acc("entity"), None, PROVENANCE)]
        for quad in list(self.store.quads_for_pattern(None, SAME_AS, None, BELIEF)):
            if quad.subject in entities and quad.object in entities:
                self.store.remove(quad)
                delta.removed.append((quad.subject, quad.predicate, quad.object))  # type: ignore[arg-type]

    def _DerivationJudged(self, event: Event, body: dict[str, Any], delta: Delta) -> None:
        """A person's judgement that a source carries another's text: the link holds from
        here (a view before it is folded without it) until a DerivationUndone."""
        j, s = event_iri(event.id), source_iri(body["source"])
        upstreams = [upstream_iri(u) for u in body["derived_from"]]
        t = self._record(event, j) + [
            (j, TYPE, acc("DerivationJudgement")),
            (j, acc("judgedSource"), s),
            (j, acc("judgedBy"), _lit(body["judged_by"])),
            (j, ox.NamedNode(SCHEMA + "comment"), _lit(body["reason"])),
        ]
        self._add(t + [(j, acc("judgedFrom"), u) for u in upstreams], PROVENANCE)
        # into the store alone, never to a sink: an undo may take it back
        self.pending.extend(ox.Quad(s, DERIVED, u, PROVENANCE) for u in upstreams)

    def _DerivationUndone(self, event: Event, body: dict[str, Any], delta: Delta) -> None:
        """The judgement's links go, but those the source declared or another standing
        judgement makes."""
        j = event_iri(body["judgement"])
        self._undo(event, body, j, "DerivationUndo")
        store = self.store
        judged = next(iter(store.quads_for_pattern(j, acc("judgedSource"), None, PROVENANCE)), None)
        if judged is None:
            return  # a judgement this view did not hold
        s = judged.object
        for u in [q.object for q in store.quads_for_pattern(j, acc("judgedFrom"), None, PROVENANCE)]:
            declared = ox.Quad(s, acc("declaredFrom"), u, PROVENANCE) in store  # type: ignore[arg-type]
            standing = any(
                ox.Quad(other.subject, acc("judgedFrom"), u, PROVENANCE) in store
                and not any(True for _ in store.quads_for_pattern(other.subject, acc("undoneBy"), None, PROVENANCE))
                for other in store.quads_for_pattern(None, acc("judgedSource"), s, PROVENANCE)
                if other.subject != j
            )
            if not declared and not standing:
                store.remove(ox.Quad(s, DERIVED, u, PROVENANCE))  # type: ignore[arg-type]

    def _SourceAssessed(self, event: Event, body: dict[str, Any], delta: Delta) -> None:
        """An assessment of a source, kept whole: the latest by a point of record time holds then."""
        a, assessor = event_iri(event.id), self._agent("assessor", body["assessor"])
        t = self._record(event, a) + [
            (a, TYPE, acc("SourceAssessment")),
            (a, acc("assesses"), source_iri(body["source"])),
            (a, acc("assessor"), assessor[0]),
            *assessor[1],
            *[(a, acc("flag"), acc(flag)) for flag in body["flags"]],
        ]
        if "note" in body:
            t.append((a, ox.NamedNode(SCHEMA + "comment"), _lit(body["note"])))
        self._add(t, PROVENANCE)

    def _SourceCaptured(self, event: Event, body: dict[str, Any], delta: Delta) -> None:
        """A capture of a source's page: its hash, day and kind (its bytes stay in the store)."""
        c = event_iri(event.id)
        t = self._record(event, c) + [
            (c, TYPE, acc("Capture")),
            (c, acc("captures"), source_iri(body["source"])),
            (c, acc("sha256"), _lit(body["sha256"])),
            (c, acc("capturedOn"), _lit(body["captured"])),
            (c, acc("mediaType"), _lit(body["media_type"])),
        ]
        if "note" in body:
            t.append((c, ox.NamedNode(SCHEMA + "comment"), _lit(body["note"])))
        self._add(t, PROVENANCE)

    def _unprojected(self, *_: Any) -> None:
        """Keys and signatures: the log's own proof of who recorded what (events/signatures.py);
        they say nothing of the world, and the graph holds nothing of them."""

    _KeyRegistered = _KeyRevoked = _SignaturesRequired = _EventsSigned = _unprojected

    def _ClaimReviewed(self, event: Event, body: dict[str, Any], delta: Delta) -> None:
        e = event_iri(event.id)
        t = (
            self._record(event, e)
            + [
                (e, TYPE, ox.NamedNode(SCHEMA + "ClaimReview")),
                (e, ox.NamedNode(SCHEMA + "itemReviewed"), claim_iri(body["claim"])),
                (e, acc("rating"), acc(body["rating"])),
                (e, ox.NamedNode(SCHEMA + "author"), _lit(body["reviewer"])),
            ]
            + [(e, prov("wasDerivedFrom"), source_iri(s)) for s in body.get("sources", [])]
        )
        if "note" in body:
            t.append((e, ox.NamedNode(SCHEMA + "comment"), _lit(body["note"])))
        self._add(t, PROVENANCE)
