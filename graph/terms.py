"""The IRIs the projections use: entities, claims, sources, events and graph names."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import unquote

import pyoxigraph as ox

ACC = "https://w3id.org/accords/ns#"
ID = "https://w3id.org/accords/id/"
FRAMES = ID + "frame/"  # frames of statement nodes without @id (acc:frame)
GRAPH = "https://w3id.org/accords/graph/"
PROV = "http://www.w3.org/ns/prov#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
OWL = "http://www.w3.org/2002/07/owl#"

Term = ox.NamedNode | ox.BlankNode | ox.Literal
"""An RDF term as the projections store it (no quoted triples)."""

PROVENANCE = ox.NamedNode(GRAPH + "provenance")
BELIEF = ox.NamedNode(GRAPH + "belief")
VOCABULARY = ox.NamedNode(GRAPH + "vocabulary")
META = ox.NamedNode(GRAPH + "projection")  # the head a projection reflects, and how it was built
KEPT = ox.NamedNode(GRAPH + "judgement")  # the projection's copy of the judgement's rows (graph/judgement.py)
HEAD_SEQ = ox.NamedNode(ACC + "headSeq")  # in META: the seq of the head the projection reflects

PREFIXES = {
    "acc": ACC,
    "id": ID,
    "graph": GRAPH,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "dcterms": DCT,
    "schema": SCHEMA,
    "owl": OWL,
}

TYPE = ox.NamedNode(RDF + "type")
LABEL = ox.NamedNode(RDFS + "label")


# Terms are immutable and the fold names the same few hundred of them for every event:
# a cache hit costs a fraction of building the term again.
@lru_cache(maxsize=4096)
def acc(name: str) -> ox.NamedNode:
    return ox.NamedNode(ACC + name)


@lru_cache(maxsize=4096)
def prov(name: str) -> ox.NamedNode:
    return ox.NamedNode(PROV + name)


def claim_iri(event_id: str) -> ox.NamedNode:
    """The claim, and the named graph holding its statement (the nanopublication pattern)."""
    return ox.NamedNode(f"{ID}claim/{event_id}")


def source_iri(event_id: str) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}source/{event_id}")


def event_iri(event_id: str) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}event/{event_id}")


@lru_cache(maxsize=65536)
def agent_iri(kind: str, name: str) -> ox.NamedNode:
    """A speaker, publisher or recorder named in free text, as a stable IRI: readable, and one
    per name as written ("Officials" and "officials" are two names, each quoted as given)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unnamed"
    if slug != name:  # the slug lost a capital, a space or a sign: keep the names apart
        slug += "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return ox.NamedNode(f"{ID}{kind}/{slug}")


def short(iri: str) -> str:
    """An IRI as a person reads it: state/RW, in_force, claim/3f9a1c2b…, prov:Entity,
    [Stance state=state/PE toward=state/US]"""
    if iri.startswith(ID):
        rest = iri[len(ID) :]
        kind, _, tail = rest.partition("/")
        if kind == "frame":  # a node without @id, by its frame: [Stance state=state/UG toward=state/US]
            return "[" + unquote(tail).replace(";", " ") + "]"
        if kind in ("claim", "source", "event") and len(tail) >= 64:
            return f"{kind}/{tail[:12]}{tail[64:]}"
        return rest
    if iri.startswith(ACC):
        return iri[len(ACC) :]  # the vocabulary's own words read best bare: in_force, Agreement
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
