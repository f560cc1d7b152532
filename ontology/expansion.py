"""A claim's statement as RDF: the JSON-LD context compiled to a fast, local expansion.

rdflib's JSON-LD parser takes about a millisecond a statement; the log checks every
claim at append and the projection reads every claim, so the context is compiled once
into a table of terms and the subset of JSON-LD that statements use (terms, @id, @type,
@vocab values, sets, nested objects) is expanded directly. A test holds the result
isomorphic to rdflib's parse. The derived bounds (acc:dateEarliest…) are the
projection's business: graph.statements adds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import pyoxigraph as ox

from accords.events.errors import InputError
from accords.ontology.vocabulary import ID_BASE, context

XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Triple = tuple[ox.NamedNode, ox.NamedNode, Term]


@dataclass(frozen=True, slots=True)
class ContextTerm:
    """One key of the context: its property IRI and how its values are read."""

    iri: str
    kind: str  # "id", "vocab", "typed" or "plain"
    datatype: str | None
    vocab: dict[str, str]
    predicate: ox.NamedNode  # the IRI as a term, made once


@dataclass(frozen=True, slots=True)
class Context:
    terms: dict[str, ContextTerm]
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
        vocab_words = {word: ctx.expand(target) for word, target in value.get("@context", {}).items()}
        if kind_of == "@id":
            ctx.terms[key] = ContextTerm(iri, "id", None, {}, ox.NamedNode(iri))
        elif kind_of == "@vocab":
            ctx.terms[key] = ContextTerm(iri, "vocab", None, vocab_words, ox.NamedNode(iri))
        elif kind_of:
            ctx.terms[key] = ContextTerm(iri, "typed", ctx.expand(kind_of), {}, ox.NamedNode(iri))
        else:
            ctx.terms[key] = ContextTerm(iri, "plain", None, {}, ox.NamedNode(iri))
    return ctx


# Terms are immutable and statements repeat them (states, types, dates, amounts): building
# a pyoxigraph term costs about a microsecond, a cache hit a tenth of that.
_named = lru_cache(maxsize=65536)(ox.NamedNode)


@lru_cache(maxsize=65536, typed=True)
def _literal(value: Any, datatype: str | None) -> ox.Literal:
    if datatype:
        return ox.Literal(str(value), datatype=_named(datatype))
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(f"{value:.15E}".replace("E+", "E"), datatype=ox.NamedNode(XSD + "double"))
    return ox.Literal(value)


# What an identifier may be: a folder of lower-case letters, "/", then a name of characters
# an IRI holds as they are (no space, quote, angle bracket, brace, bar, caret, backquote,
# backslash or control character): "state/RW", "actor/iom", "transfer/us-sv-2025-03-15".
REFERENCE = re.compile(r"^[a-z][a-z_]*/[^\s<>\"{}|\\^`\x00-\x1f\x7f]+$")


@lru_cache(maxsize=65536)
def _node_iri(ref: str) -> ox.NamedNode:
    ctx = compiled()
    if ":" in ref and ref.split(":", 1)[0] in ctx.prefixes:
        return ox.NamedNode(ctx.expand(ref))
    if "://" in ref:
        return ox.NamedNode(ref)
    return reference_iri(ref)


def reference_iri(ref: str) -> ox.NamedNode:
    """The IRI of an identifier as a statement writes it ("state/RW", "actor/iom"), by the one
    rule every identifier is checked with at append; InputError saying how to write it."""
    if REFERENCE.match(ref):
        return ox.NamedNode(ID_BASE + ref)
    from accords.ontology.states import resolve_state

    try:
        hint = f'for a state, write "state/{resolve_state(ref)}"'
    except InputError:
        hint = 'write a folder and a name without spaces: "state/US", "actor/iom", "agreement/us-rw"'
    raise InputError(f"{ref!r} is not an identifier", hint)


@lru_cache(maxsize=4096)
def _vocab_iri(name: str) -> ox.NamedNode:
    return ox.NamedNode(compiled().expand(name))


def expand(statement: dict[str, Any] | list[dict[str, Any]], blank: str) -> list[Triple]:
    """The triples of a statement (one node, or a list of them). A node without @id gets the
    IRI blank, the next ones blank-1, blank-2… (nested nodes too)."""
    ctx = compiled()
    out: list[Triple] = []
    counter = [0]

    def node(obj: dict[str, Any]) -> ox.NamedNode:
        if "@id" in obj:
            subject = _node_iri(obj["@id"])
        else:
            subject = ox.NamedNode(blank if counter[0] == 0 else f"{blank}-{counter[0]}")
            counter[0] += 1
        types = obj.get("@type", [])
        for t in types if isinstance(types, list) else [types]:
            out.append((subject, TYPE, _vocab_iri(t)))
        for key, value in obj.items():
            if key.startswith("@"):
                continue
            term = ctx.terms.get(key)
            predicate = term.predicate if term else _vocab_iri(key)
            for item in value if isinstance(value, list) else [value]:
                if item is None:
                    continue
                if isinstance(item, dict):
                    out.append((subject, predicate, node(item)))
                elif term and term.kind == "id":
                    out.append((subject, predicate, _node_iri(str(item))))
                elif term and term.kind == "vocab" and isinstance(item, str):
                    out.append((subject, predicate, _named(term.vocab.get(item) or ctx.expand(item))))
                else:
                    out.append((subject, predicate, _literal(item, term.datatype if term else None)))
        return subject

    for top in statement if isinstance(statement, list) else [statement]:
        node(top)
    return out


def entity_iri(ref: str) -> ox.NamedNode:
    """An entity named as users write it ("state/RW", "agreement/us-rw") as an IRI."""
    return ox.NamedNode(ref) if "://" in ref else reference_iri(ref)
