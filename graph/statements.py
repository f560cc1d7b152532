"""A claim's statement as RDF: the JSON-LD context compiled to a fast, local expansion.

rdflib's JSON-LD parser takes about a millisecond a statement; the projection reads
every claim, so the context is compiled once into a table of terms and the subset of
JSON-LD that statements use (terms, @id, @type, @vocab values, sets, nested objects)
is expanded directly. A test holds the result isomorphic to rdflib's parse.

The derived bounds of worded numbers and EDTF dates (acc:peopleMin, acc:dateEarliest…)
are added here too, as the vocabulary names them (acc:lowerBoundProperty).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyoxigraph as ox

from accords.events.dates import bounds as date_bounds
from accords.graph.terms import ID, TYPE, XSD
from accords.graph.terms import Term as RdfTerm
from accords.ontology.quantities import parse_amount, parse_quantity, quantity_properties
from accords.ontology.vocabulary import bounded_properties, context

Triple = tuple[ox.NamedNode, ox.NamedNode, RdfTerm]


@dataclass(frozen=True, slots=True)
class Term:
    """One key of the context: its property IRI and how its values are read."""

    iri: str
    kind: str  # "id", "vocab", "typed" or "plain"
    datatype: str | None
    vocab: dict[str, str]


@dataclass(frozen=True, slots=True)
class Context:
    terms: dict[str, Term]
    prefixes: dict[str, str]
    vocab: str
    base: str

    def expand(self, name: str) -> str:
        """A compact IRI, term or word as a full IRI, as JSON-LD's vocabulary mapping does."""
        if name in self.prefixes:
            return self.prefixes[name]
        prefix, sep, rest = name.partition(":")
        if sep and prefix in self.prefixes and not rest.startswith("//"):
            return self.prefixes[prefix] + rest
        if sep and rest.startswith("//"):
            return name
        return self.vocab + name


@cache
def compiled() -> Context:
    raw = context()
    prefixes = {k: v for k, v in raw.items() if isinstance(v, str) and not k.startswith("@")}
    vocab, base = raw["@vocab"], raw["@base"]
    ctx = Context({}, {}, vocab, base)
    ctx.prefixes.update({k: v for k, v in prefixes.items() if v.endswith(("#", "/"))})
    for key, value in raw.items():
        if key.startswith("@"):
            continue
        if isinstance(value, str):
            ctx.prefixes.setdefault(key, ctx.expand(value))
            continue
        iri = ctx.expand(value["@id"])
        kind_of = value.get("@type")
        vocab_words = {
            word: ctx.expand(target) for word, target in value.get("@context", {}).items()
        }
        if kind_of == "@id":
            ctx.terms[key] = Term(iri, "id", None, {})
        elif kind_of == "@vocab":
            ctx.terms[key] = Term(iri, "vocab", None, vocab_words)
        elif kind_of:
            ctx.terms[key] = Term(iri, "typed", ctx.expand(kind_of), {})
        else:
            ctx.terms[key] = Term(iri, "plain", None, {})
    return ctx


def _literal(value: Any, datatype: str | None) -> ox.Literal:
    if datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(datatype))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(f"{value:.15E}".replace("E+", "E"), datatype=ox.NamedNode(XSD + "double"))
    return ox.Literal(value)


def _node_iri(ctx: Context, ref: str) -> ox.NamedNode:
    if ":" in ref and ref.split(":", 1)[0] in ctx.prefixes:
        return ox.NamedNode(ctx.expand(ref))
    if "://" in ref:
        return ox.NamedNode(ref)
    return ox.NamedNode(ctx.base + ref)


def statement_triples(statement: dict[str, Any], blank: str) -> list[Triple]:
    """The triples of a statement. A node without @id gets the IRI blank (+ #n for nested)."""
    ctx = compiled()
    out: list[Triple] = []
    counter = [0]

    def node(obj: dict[str, Any]) -> ox.NamedNode:
        if "@id" in obj:
            subject = _node_iri(ctx, obj["@id"])
        else:
            subject = ox.NamedNode(blank if counter[0] == 0 else f"{blank}-{counter[0]}")
            counter[0] += 1
        types = obj.get("@type", [])
        for t in types if isinstance(types, list) else [types]:
            out.append((subject, TYPE, ox.NamedNode(ctx.expand(t))))
        for key, value in obj.items():
            if key.startswith("@"):
                continue
            term = ctx.terms.get(key)
            predicate = ox.NamedNode(term.iri if term else ctx.expand(key))
            for item in value if isinstance(value, list) else [value]:
                if item is None:
                    continue
                if isinstance(item, dict):
                    out.append((subject, predicate, node(item)))
                elif term and term.kind == "id":
                    out.append((subject, predicate, _node_iri(ctx, str(item))))
                elif term and term.kind == "vocab" and isinstance(item, str):
                    out.append((subject, predicate, ox.NamedNode(term.vocab.get(item) or ctx.expand(item))))
                else:
                    out.append((subject, predicate, _literal(item, term.datatype if term else None)))
        return subject

    node(statement)
    return out + list(_bounds(out))


@cache
def _bound_table() -> dict[str, tuple[ox.NamedNode, ox.NamedNode, str]]:
    """property IRI -> (lower, upper, kind): kind is "date", "count" or "amount"."""
    quantities = {str(p): str(d) for p, (_lo, _hi, d) in quantity_properties().items()}
    table = {}
    for prop, (low, high) in bounded_properties().items():
        datatype = quantities.get(str(prop))
        kind = "date" if datatype is None else "amount" if datatype.endswith("decimal") else "count"
        table[str(prop)] = (ox.NamedNode(str(low)), ox.NamedNode(str(high)), kind)
    return table


def _bounds(triples: list[Triple]) -> Iterator[Triple]:
    table = _bound_table()
    for subject, predicate, obj in triples:
        entry = table.get(predicate.value)
        if entry is None or not isinstance(obj, ox.Literal):
            continue
        low_p, high_p, kind = entry
        if kind == "date":
            b = date_bounds(obj.value)
            datatype = ox.NamedNode(XSD + "date")
            low = b.earliest.isoformat() if b.earliest else None
            high = b.latest.isoformat() if b.latest else None
        else:
            q = parse_amount(obj.value) if kind == "amount" else parse_quantity(
                int(obj.value) if obj.datatype.value == XSD + "integer" else obj.value
            )
            datatype = ox.NamedNode(XSD + ("decimal" if kind == "amount" else "integer"))
            low = None if q.low is None else str(q.low)
            high = None if q.high is None else str(q.high)
        if low is not None:
            yield subject, low_p, ox.Literal(low, datatype=datatype)
        if high is not None:
            yield subject, high_p, ox.Literal(high, datatype=datatype)


def entity_iri(ref: str) -> ox.NamedNode:
    """An entity named as users write it ("state/RW", "agreement/us-rw") as an IRI."""
    return ox.NamedNode(ref if "://" in ref else ID + ref)
