"""What a claim's statement may say, per @type: its JSON keys, read from the shapes and the vocabulary.

The statement shapes (shapes.ttl) say which properties a type has, which are required
and which take one value; the context (context.jsonld) gives each property's JSON key;
the vocabulary (accords.ttl) says in words what it holds. Nothing here is written twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from accords.ontology.vocabulary import ACC, _context, _graph


@dataclass(frozen=True)
class Key:
    """One JSON key of a statement type."""

    type: str
    key: str
    required: bool
    many: bool
    meaning: str
    values: tuple[str, ...]


def _keys() -> dict[str, str]:
    """Property IRI -> its JSON key in the context."""
    found: dict[str, str] = {}
    for key, value in _context().items():
        if isinstance(value, dict) and "@id" in value:
            prefix, _, local = value["@id"].partition(":")
            iri = _context()[prefix] + local if prefix in _context() else value["@id"]
            found.setdefault(iri, key)
    return found


@cache
def statement_keys() -> tuple[Key, ...]:
    """Every key of every statement type, in the order the shapes give them."""
    shapes, vocabulary, keys = _graph("shapes.ttl"), _graph("accords.ttl"), _keys()
    out: list[Key] = []
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        cls = shapes.value(shape, SH.targetClass)
        if not isinstance(cls, URIRef) or not str(cls).startswith(str(ACC)):
            continue
        paths: dict[URIRef, dict[str, object]] = {}
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            if not isinstance(path, URIRef) or str(path) not in keys:
                continue
            seen = paths.setdefault(path, {"required": False, "many": True, "values": (), "meaning": None})
            min_count, max_count, words = (shapes.value(prop, p) for p in (SH.minCount, SH.maxCount, SH["in"]))
            if isinstance(min_count, Literal) and int(min_count) > 0:
                seen["required"] = True
            if isinstance(max_count, Literal) and int(max_count) == 1:
                seen["many"] = False
            if words is not None:
                # a word is its local name; a property ("unknown": ["signed"]) its JSON key
                seen["values"] = tuple(
                    keys.get(str(w), str(w).removeprefix(str(ACC))) for w in Collection(shapes, words)
                )
            description = shapes.value(prop, SH.description)  # the key for this type, where the
            if description is not None:  # vocabulary's comment covers others too (acc:status)
                seen["meaning"] = str(description)
        for path, seen in sorted(paths.items(), key=lambda p: (not p[1]["required"], keys[str(p[0])])):
            out.append(
                Key(
                    str(cls).removeprefix(str(ACC)),
                    keys[str(path)],
                    bool(seen["required"]),
                    bool(seen["many"]),
                    str(seen["meaning"] or _meaning(str(vocabulary.value(path, RDFS.comment) or ""))),
                    seen["values"],  # type: ignore[arg-type]
                )
            )
    return tuple(sorted(out, key=lambda k: k.type))


def _meaning(comment: str) -> str:
    """The comment without its notes on other vocabularies ("Reused from…", "Compare…")."""
    return re.split(r" (?:Reused from|Compare) ", comment)[0]
