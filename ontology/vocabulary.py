"""Load the vocabulary, context and shapes shipped in this package, never over the network."""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib.resources import files
from typing import Any

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

ACC = Namespace("https://w3id.org/accords/ns#")
ACCSH = Namespace("https://w3id.org/accords/shapes#")
ID_BASE = "https://w3id.org/accords/id/"
ID = Namespace(ID_BASE)
SCHEMA = Namespace("https://schema.org/")


def _text(name: str) -> str:
    return files("accords.ontology").joinpath(name).read_text(encoding="utf-8")


@cache
def _context() -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(_text("context.jsonld"))["@context"]
    return parsed


def context() -> dict[str, Any]:
    """The JSON-LD context (the value of "@context"), a fresh copy the caller may change."""
    # Cached parse, copied out: a caller mutating it must not change everyone's context.
    return copy.deepcopy(_context())


@cache
def _graph(name: str) -> Graph:
    graph = Graph()
    graph.parse(data=_text(name), format="turtle")
    return graph


def _copy(graph: Graph) -> Graph:
    fresh = Graph()
    for prefix, namespace in graph.namespaces():
        fresh.bind(prefix, namespace, override=True)
    fresh += graph
    return fresh


def ontology_graph() -> Graph:
    """The vocabulary (accords.ttl) as a new graph."""
    return _copy(_graph("accords.ttl"))


def statement_shapes() -> Graph:
    """The statement SHACL shapes (shapes.ttl) as a new graph."""
    return _copy(_graph("shapes.ttl"))


def shared_statement_shapes() -> Graph:
    """The statement shapes, cached and shared: read it, never change it."""
    # pyshacl only reads the shapes graph; copying 800 triples per statement is waste.
    return _graph("shapes.ttl")


def bounded_properties() -> dict[URIRef, tuple[URIRef, URIRef]]:
    """Each worded-number or EDTF-date property, mapped to its (lower, upper) bound properties."""
    graph = _graph("accords.ttl")
    found: dict[URIRef, tuple[URIRef, URIRef]] = {}
    for prop, low in graph.subject_objects(ACC.lowerBoundProperty):
        high = graph.value(prop, ACC.upperBoundProperty)
        if isinstance(prop, URIRef) and isinstance(low, URIRef) and isinstance(high, URIRef):
            found[prop] = (low, high)
    return found


def bound_datatype(bound: URIRef) -> URIRef:
    """The datatype a bound property holds: xsd:integer, xsd:decimal or xsd:date."""
    datatype = _graph("accords.ttl").value(bound, RDFS.range)
    if not isinstance(datatype, URIRef):
        raise KeyError(f"{bound} is not a declared bound property")
    return datatype


@cache
def id_folders() -> dict[str, str]:
    """Each class of the vocabulary (as an IRI) and the folder of its things' identifiers
    (acc:idFolder), "" for a class whose things take none."""
    graph = _graph("accords.ttl")
    return {str(cls): str(graph.value(cls, ACC.idFolder) or "") for cls in graph.subjects(RDF.type, OWL.Class)}


@cache
def framing_properties() -> tuple[frozenset[str], frozenset[str]]:
    """The judged properties (acc:judged: never part of a frame) and the identifying
    literal properties (acc:identifies: always part of one), as IRIs."""
    graph = _graph("accords.ttl")
    judged = frozenset(str(p) for p, how in graph.subject_objects(ACC.judged) if how != ACC.byExistence)
    identifying = frozenset(str(p) for p in graph.subjects(ACC.identifies, None))
    return judged, identifying


@cache
def judgement_terms() -> tuple[frozenset[str], frozenset[str], dict[str, frozenset[str]]]:
    """What the judgement compares (acc:judged), as IRIs: the properties whose values it
    compares, the types whose things it asks exist, and for a property the types of node
    whose values of it it leaves alone (acc:unjudged)."""
    graph = _graph("accords.ttl")
    existing = frozenset(str(t) for t, how in graph.subject_objects(ACC.judged) if how == ACC.byExistence)
    unjudged: dict[str, set[str]] = {}
    for kind, prop in graph.subject_objects(ACC.unjudged):
        unjudged.setdefault(str(prop), set()).add(str(kind))
    return framing_properties()[0], existing, {p: frozenset(k) for p, k in unjudged.items()}
