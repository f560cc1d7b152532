"""Trace (DESIGN §5): every claim for or against an entity, a claim or a statement,
where each came from, and how many independent sources stand behind what is believed.

Claims are compared fact by fact. A fact's subject is a named entity, or, for a node
without @id (a Stance), its frame (acc:frame). Which claims disagree is not decided here:
it is the judgement (graph/judgement.py, the contradictions query), run over the claims
that bear on the traced things; a traced statement joins them as a claim of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache

import orjson
import pyoxigraph as ox

from accords.events.errors import InputError
from accords.events import dates
from accords.events.model import Event
from accords.graph import judgement, latest, sourcing
from accords.graph.judgement import DENIED, ON, POSITION, Disagreement
from accords.graph.labels import ANONYMOUS, Labels
from accords.graph.projection import Projection
from accords.graph.sparql import solutions
from accords.graph.statement_rdf import FRAME, entity_iri, frames, statement_triples
from accords.graph.terms import (
    ACC,
    FRAMES,
    PROVENANCE,
    TYPE,
    VOCABULARY,
    XSD,
    Term,
    acc,
    claim_iri,
    prov,
    short,
)
from accords.ontology.expansion import REFERENCE
from accords.ontology.states import entity_ref
from accords.ontology.vocabulary import bounded_properties

STATEMENT = ox.NamedNode(ANONYMOUS + "-")  # a traced statement, judged as a claim of its own
STATEMENT_KEY = "(statement)"

MENTIONS = """
SELECT DISTINCT ?target ?claim WHERE {
  GRAPH graph:provenance { ?claim a acc:Claim }
  GRAPH ?claim { { ?target ?p ?o } UNION { ?s ?p ?target } }
}
"""

CLAIM = """
SELECT ?claim ?id ?key ?seq ?at ?recorder ?quote ?certainty ?polarity ?status ?valid ?speaker
       ?source ?title ?publisher ?issued ?sourceKey ?url ?withdrawn ?reason ?note ?replacement ?replacementKey
       ?earliest ?latest
WHERE { GRAPH graph:provenance {
  ?claim acc:eventId ?id ; acc:seq ?seq ; prov:generatedAtTime ?at ; acc:quote ?quote ;
         acc:certainty ?certainty ; acc:polarity ?polarity ; acc:status ?status ; acc:publishedLatest ?latest ;
         prov:wasDerivedFrom ?source ; prov:wasAttributedTo/rdfs:label ?speaker ;
         acc:recordedBy/rdfs:label ?recorder .
  ?source a acc:Source ; dcterms:title ?title .
  OPTIONAL { ?claim acc:key ?key }
  OPTIONAL { ?claim acc:validTime ?valid }
  OPTIONAL { ?claim acc:publishedEarliest ?earliest }
  OPTIONAL { ?source dcterms:publisher/rdfs:label ?publisher }
  OPTIONAL { ?source dcterms:issued ?issued }
  OPTIONAL { ?source acc:key ?sourceKey }
  OPTIONAL { ?source schema:url ?url }
  OPTIONAL { ?source acc:retractedByPublisher ?withdrawn }
  OPTIONAL { ?claim prov:wasInvalidatedBy ?by . ?by acc:reason ?reason .
             OPTIONAL { ?by schema:comment ?note }
             OPTIONAL { ?by acc:replacement ?replacement OPTIONAL { ?replacement acc:key ?replacementKey } } }
} } ORDER BY ?by
"""

# Fact-checkers' verdicts on a claim (ClaimReviewed), oldest first.
REVIEWS = """
SELECT ?claim ?rating ?reviewer ?note WHERE { GRAPH graph:provenance {
  ?review schema:itemReviewed ?claim ; acc:rating ?rating ; schema:author ?reviewer ; acc:seq ?seq .
  OPTIONAL { ?review schema:comment ?note }
} } ORDER BY ?seq
"""

# Sources that derive from the same upstream report are one source: count the roots.
# (pyoxigraph binds only variables the query selects, hence ?target, ?claim, ?source)
ROOTS = """
SELECT DISTINCT ?source ?root WHERE { GRAPH graph:provenance {
  ?source a acc:Source ; prov:wasDerivedFrom* ?root .  # a root: a source, or an agency (actor/afp)
  FILTER NOT EXISTS { ?root prov:wasDerivedFrom ?upstream }
} }
"""

Details = dict[str, str | None]
"""A claim's row of the CLAIM query, by variable name."""


@dataclass(frozen=True, slots=True)
class Fact:
    node: str  # the subject's frame: itself when named
    subject: ox.NamedNode
    predicate: ox.NamedNode
    object: Term


@dataclass(frozen=True, slots=True)
class TracedClaim:
    """One claim for or against the target, with where it came from."""

    key: str | None
    id: str
    stance: str  # supporting, contradicting, or other time (its valid time does not meet the claim's)
    status: str  # active, retracted or corrected
    reason: str | None
    note: str | None
    corrected_by: str | None
    quote: str
    source: str
    publisher: str | None
    published: str | None
    source_key: str | None
    source_url: str | None
    source_withdrawn: bool  # its publisher retracted the source (SourceCorrected, retracted)
    reviews: str | None  # fact-checkers' ratings, oldest first: "unproven (by J. Doe: note)"
    speaker: str
    recorder: str
    seq: int
    recorded_at: str
    certainty: str
    polarity: str
    valid_time: str | None
    statements: list[str]
    conflicts: list[str] = field(default_factory=list)
    word: str | None = None  # a side's latest word on a question, or superseded by it (graph/latest.py)
    signed: str = "unsigned"  # who signed the event that recorded it (events/signatures.py)
    source_flags: str | None = None  # what a fact-checker found its source to be: "satire (by J. Doe: note)"
    flagged_only: bool = False  # its source and every source that derives from are flagged
    captures: list[sourcing.Capture] = field(default_factory=list)  # its source's page as users saved it, latest first


@dataclass(frozen=True, slots=True)
class Trace:
    """The claims behind a target and how many independent sources support it."""

    target: str
    kind: str  # entity, claim or statement
    claims: list[TracedClaim]
    supporting_active: int
    contradicting_active: int
    independent_sources: int


class _Labels(Labels):
    """Labels, and facts read as lines."""

    def fact(self, f: Fact) -> str:
        subject = self(f.subject)
        if f.node != f.subject.value:  # a node without @id reads as its type: [Stance]
            kind = f.node.removeprefix(FRAMES).partition(";")[0]
            subject = f"[{kind}]" if kind and "=" not in kind else subject
        return f"{subject} {self(f.predicate)} {self(f.object)}"

    def facts(self, found: Iterable[Fact]) -> list[str]:
        """Facts as lines, each subject's type first."""
        ordered = sorted(found, key=lambda f: (self(f.subject), f.predicate != TYPE))
        return [self.fact(f) for f in ordered]


@cache
def _derived() -> frozenset[str]:
    """Predicates the projection derives: bounds (their values repeat) and frames."""
    return frozenset(str(b) for pair in bounded_properties().values() for b in pair) | {FRAME.value}


def facts(triples: Iterable[tuple[ox.NamedNode, ox.NamedNode, Term]]) -> list[Fact]:
    """Triples as facts keyed by their subject's frame; derived triples are left out."""
    triples = list(triples)
    frames = {s.value: o.value for s, p, o in triples if p == FRAME}
    return [Fact(frames.get(s.value, s.value), s, p, o) for s, p, o in triples if p.value not in _derived()]


def _claim_facts(store: ox.Store, claim: ox.NamedNode) -> list[Fact]:
    quads = store.quads_for_pattern(None, None, None, claim)
    return facts((q.subject, q.predicate, q.object) for q in quads)  # type: ignore[misc]


def _about(found: list[Fact], entity: ox.NamedNode) -> list[Fact]:
    """The facts naming entity, with every fact of an anonymous node that names it."""
    nodes = {f.node for f in found if f.object == entity and f.node != f.subject.value}
    return [f for f in found if f.subject == entity or f.object == entity or f.node in nodes]


def _mentions(store: ox.Store, entity: ox.NamedNode) -> list[ox.NamedNode]:
    return [row["claim"] for row in solutions(store, MENTIONS, "target", entity)]


def _denies(found: list[Fact], polarity: str | None, thing: str) -> bool:
    """Whether a claim denies a thing: a denied claim about it, or a stance denying it."""
    denying = {f.node for f in found if f.predicate == POSITION and f.object == DENIED}
    return polarity == "denied" or any(
        f.node in denying and f.predicate == ON and f.object.value == thing for f in found
    )


def _side(d: Disagreement, found: list[Fact], polarity: str | None) -> tuple[object, ...]:
    """Where a claim stands in a disagreement: what it says of the property of the thing."""
    if d.property == TYPE:
        return (_denies(found, polarity, d.subject.value),)
    values = frozenset(f.object for f in found if f.node == d.subject.value and f.predicate == d.property)
    return (polarity, values)


def _note(labels: _Labels, d: Disagreement) -> str:
    what = "whether it exists" if d.property == TYPE else labels(d.property)
    return f"{what} of {labels(d.subject)}, {d.kind}: {d.sides}"


def trace(projection: Projection, target: str, find: Callable[[str], Event] | None = None) -> Trace:
    """Trace an entity (state/RW), a claim (key, id or id prefix) or a statement (JSON)."""
    store = projection.store
    text = target.strip()
    if text.startswith("{"):
        try:
            statement = orjson.loads(text)
        except orjson.JSONDecodeError as e:
            raise InputError(f"the statement is not valid JSON: {e}") from None
        if not isinstance(statement, dict):
            raise InputError("a statement is a JSON object with @type")
        blank = STATEMENT.value + "/statement"
        triples = statement_triples(statement, blank)
        triples += frames(triples, blank)
        return _trace_facts(store, "statement", text, facts(triples), None, _as_claim(triples))
    text = entity_ref(text)
    if REFERENCE.match(text):  # else a claim's key, or nothing the record knows
        entity = entity_iri(text)
        claims = _mentions(store, entity)
        if claims or any(True for _ in store.quads_for_pattern(entity, None, None, VOCABULARY)):
            return _trace_entity(store, text, entity, claims)
    event = _find(text, find)
    claim = claim_iri(event.id)
    if not any(True for _ in store.quads_for_pattern(None, None, None, claim)):
        raise InputError(f"claim {text!r} is not in this view", "drop --as-of, --known-by or --valid-at")
    details = _details(store, claim)
    return _trace_facts(store, "claim", event.key or event.id[:12], _claim_facts(store, claim), details)


def _find(text: str, find: Callable[[str], Event] | None) -> Event:
    unknown = InputError(
        f"{text!r} is not an entity, a claim or a statement known to the record",
        "name an entity as state/RW or agreement/us-rw, a claim by key or id, or give a statement as JSON",
    )
    if find is None:
        raise unknown
    try:  # "claim/0f10f3fa48ba", as tables print a claim, is its id prefix
        event = find(text.removeprefix("claim/").removesuffix("…"))
    except InputError as e:
        if "ambiguous" in e.message:
            raise
        raise unknown from None
    if event.type != "ClaimRecorded":
        raise InputError(f"{text!r} is a {event.type}; trace takes an entity, a claim or a statement")
    return event


def _trace_entity(store: ox.Store, text: str, entity: ox.NamedNode, claims: list[ox.NamedNode]) -> Trace:
    """Every claim naming entity: those that deny it contradict; each notes the
    disagreements it takes part in, about the entity or a node naming it."""
    labels = _Labels(store)
    about = {c: _about(_claim_facts(store, c), entity) for c in claims}
    details = {c: _details(store, c) for c in claims}
    things = {entity} | {ox.NamedNode(f.node) for found in about.values() for f in found}
    found = judgement.about(store, things)
    traced = []
    for c in claims:
        d = details[c]
        notes = [_note(labels, x) for x in found if _ref(d) in x.claims and d["status"] == "active"]
        stance = "contradicting" if _denies(about[c], d["polarity"], entity.value) else "supporting"
        traced.append((_traced(store, d, stance, labels.facts(about[c]), notes), d))
    return _summarise(store, text, "entity", traced)


def _trace_facts(
    store: ox.Store, kind: str, text: str, wanted: list[Fact], mine: Details | None, extra: Iterable[ox.Quad] = ()
) -> Trace:
    """Claims that hold a wanted fact, and claims the judgement sets against them.

    mine: the traced claim's details; None for a statement, judged as a claim of its own
    (extra: its quads).
    A claim holding a wanted fact but whose valid time cannot overlap the traced claim's
    speaks of another time ("other time"), and neither supports nor contradicts.
    """
    labels = _Labels(store)
    anchors = {f.subject for f in wanted} | {ox.NamedNode(f.node) for f in wanted}
    candidates = {c for a in anchors for c in _mentions(store, a)}
    polarity = mine["polarity"] if mine else "affirmed"
    ref = _ref(mine) if mine else STATEMENT_KEY
    found = judgement.about(store, {ox.NamedNode(f.node) for f in wanted}, extra)
    found = [x for x in found if ref in x.claims]
    keys = {(f.node, f.predicate.value, f.object) for f in wanted}
    traced = []
    for c in candidates:
        held = _claim_facts(store, c)
        d = _details(store, c)
        against = [
            x for x in found if _ref(d) in x.claims and _side(x, held, d["polarity"]) != _side(x, wanted, polarity)
        ]
        matched = [f for f in held if (f.node, f.predicate.value, f.object) in keys]
        if against:
            stance = "contradicting"
        elif matched and d["polarity"] == polarity:
            stance = "supporting" if _overlap(mine["valid"] if mine else None, d["valid"]) else "other time"
        else:
            continue
        shown = {(x.subject.value, x.property) for x in against}
        lines = labels.facts(matched + [f for f in held if (f.node, f.predicate) in shown and f not in matched])
        traced.append((_traced(store, d, stance, lines, [_note(labels, x) for x in against]), d))
    return _summarise(store, text, kind, traced)


def _as_claim(triples: list[tuple[ox.NamedNode, ox.NamedNode, Term]]) -> list[ox.Quad]:
    """A traced statement as a claim the judgement can weigh: affirmed, of a source of its own."""
    source = ox.NamedNode(STATEMENT.value + "/source")
    return (
        [ox.Quad(s, p, o, STATEMENT) for s, p, o in triples]
        + [
            ox.Quad(STATEMENT, acc(p), o, PROVENANCE)
            for p, o in (
                ("seq", ox.Literal("0", datatype=ox.NamedNode(XSD + "integer"))),
                ("publishedLatest", ox.Literal("0001-01-01", datatype=ox.NamedNode(XSD + "date"))),
                ("polarity", acc("affirmed")),
                ("key", ox.Literal(STATEMENT_KEY)),
            )
        ]
        + [
            ox.Quad(STATEMENT, prov("wasDerivedFrom"), source, PROVENANCE),
            ox.Quad(source, acc("sourceKind"), acc("statement"), PROVENANCE),
        ]
    )


def _overlap(a: str | None, b: str | None) -> bool:
    """Whether two claims' valid times can both hold (one without a valid time holds at any)."""
    return a is None or b is None or dates.bounds(a).overlaps(dates.bounds(b))


def _details(store: ox.Store, claim: ox.NamedNode) -> Details:
    row = solutions(store, CLAIM, "claim", claim)[0]
    names = (
        "id",
        "key",
        "seq",
        "at",
        "recorder",
        "quote",
        "certainty",
        "polarity",
        "status",
        "valid",
        "speaker",
        "source",
        "title",
        "publisher",
        "issued",
        "sourceKey",
        "url",
        "withdrawn",
        "reason",
        "note",
        "replacement",
        "replacementKey",
        "earliest",
        "latest",
    )
    out: Details = {}
    for name in names:
        term = row[name]
        out[name] = None if term is None else term.value
    for name in ("certainty", "polarity", "status", "reason"):
        if out[name]:
            out[name] = out[name][len(ACC) :]  # type: ignore[index]
    reviews = [
        f"{r['rating'].value.removeprefix(ACC)} (by {r['reviewer'].value}"
        + (f": {r['note'].value})" if r["note"] else ")")
        for r in solutions(store, REVIEWS, "claim", claim)
    ]
    out["reviews"] = "; ".join(reviews) or None
    source = ox.NamedNode(out["source"] or "")
    out["flags"] = sourcing.flags(store, source)
    out["flagged_only"] = "true" if out["flags"] is not None and sourcing.upstream_flagged(store, source) else None
    return out


def _ref(d: Details) -> str:
    """A claim as the judgement names it: its key, else claim/ and its id's first 12 digits."""
    return d["key"] or "claim/" + (d["id"] or "")[:12]


def _traced(store: ox.Store, d: Details, stance: str, lines: list[str], conflicts: list[str]) -> TracedClaim:
    replacement = d["replacementKey"] or (short(d["replacement"]) if d["replacement"] else None)
    return TracedClaim(
        key=d["key"],
        id=(d["id"] or "")[:12],
        stance=stance,
        status=d["status"] or "",
        reason=d["reason"],
        note=d["note"],
        corrected_by=replacement,
        quote=d["quote"] or "",
        source=d["title"] or "",
        publisher=d["publisher"],
        published=d["issued"],
        source_key=d["sourceKey"],
        source_url=d["url"],
        source_withdrawn=d["withdrawn"] == "true",
        reviews=d["reviews"],
        speaker=d["speaker"] or "",
        recorder=d["recorder"] or "",
        seq=int(d["seq"] or 0),
        recorded_at=d["at"] or "",
        certainty=d["certainty"] or "",
        polarity=d["polarity"] or "",
        valid_time=d["valid"],
        statements=lines,
        conflicts=conflicts,
        source_flags=d["flags"],
        flagged_only=d["flagged_only"] == "true",
        captures=sourcing.captures(store, ox.NamedNode(d["source"] or "")),
    )


def _summarise(store: ox.Store, text: str, kind: str, traced: list[tuple[TracedClaim, Details]]) -> Trace:
    """The claims by publication (the first day their source's date can mean; an undated
    page at the day it was recorded), each word of a side marked latest or superseded."""
    words = latest.marks(store, {_ref(d): claim_iri(d["id"] or "") for _c, d in traced})
    traced = [(replace(c, word=words.get(_ref(d))), d) for c, d in traced]
    traced.sort(key=lambda pair: (pair[1]["earliest"] or pair[1]["latest"] or "", pair[0].seq))
    claims = [c for c, _d in traced]
    supporting = [(c, d) for c, d in traced if c.stance == "supporting" and c.status == "active"]
    roots: set[str] = set()
    for source in {d["source"] for _c, d in supporting if d["source"]}:
        found = {row["root"].value for row in solutions(store, ROOTS, "source", ox.NamedNode(source))}
        roots |= found or {source}
    contradicting = sum(1 for c in claims if c.stance == "contradicting" and c.status == "active")
    return Trace(text, kind, claims, len(supporting), contradicting, len(roots))
