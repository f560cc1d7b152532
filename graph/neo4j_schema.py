"""The ontology as Neo4j labels, relationship types and uniqueness constraints.

Labels and types are the only names written into Cypher text; each is checked against
these whitelists (``ident``) first. Values always travel as parameters.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pyoxigraph as ox

from accords.graph.terms import ACC

PROVENANCE_LABELS = (
    "Claim",
    "Source",
    "Speaker",
    "Retraction",
    "Correction",
    "SourceCorrection",
    "Merge",
    "MergeUndo",
    "Review",
    "Assessment",
    "Capture",
    "DerivationJudgement",
    "DerivationUndo",
    "AccordsProjection",
)
IDENT = re.compile(r"^[A-Z][A-Za-z0-9_]{0,63}$")


def local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).upper()


@cache
def entity_labels() -> frozenset[str]:
    """The ontology's classes of things a statement describes (not its concept schemes)."""
    from rdflib import OWL, RDF
    from rdflib.namespace import SKOS

    g = _ontology()
    return frozenset(
        local(str(c))
        for c in g.subjects(RDF.type, OWL.Class)
        if str(c).startswith(ACC) and (c, RDF.type, SKOS.ConceptScheme) not in g
    ) - {"Claim", "Source"}


def node_labels() -> frozenset[str]:
    """The labels an entity node can get."""
    return entity_labels() | {"State"}


@cache
def relationship_types() -> frozenset[str]:
    """Relationship types: the ontology's object properties in upper snake case."""
    from rdflib import OWL, RDF

    return frozenset(
        snake(local(str(p))) for p in _ontology().subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(ACC)
    ) | {"SAME_AS", "RELATED"}


def _ontology() -> Any:
    from accords.ontology.vocabulary import ontology_graph

    return ontology_graph()


def ident(name: str, allowed: frozenset[str]) -> str:
    """A label or type checked against the whitelist, safe to write into query text."""
    if name not in allowed or not IDENT.match(name):
        raise ValueError(f"{name!r} is not a known label or relationship type")
    return name


@cache
def state_names() -> dict[str, str]:
    """Each state's IRI and its name, for the ``label`` of :State nodes."""
    from accords.ontology.states import state_labels

    label = "http://www.w3.org/2000/01/rdf-schema#label"
    return {
        str(t.subject.value): t.object.value
        for t in ox.parse(state_labels().encode(), format=ox.RdfFormat.N_TRIPLES)
        if t.predicate.value == label
    }


def constraints() -> list[str]:
    """A uniqueness constraint on the key of every label the projection writes."""
    keyed = [("Entity", "iri")] + [(label, "iri") for label in sorted(entity_labels())]
    keyed += [(label, "name" if label in ("Speaker", "AccordsProjection") else "id") for label in PROVENANCE_LABELS]
    return [
        f"CREATE CONSTRAINT accords_{label.lower()}_{key} IF NOT EXISTS FOR (n:{label}) REQUIRE n.{key} IS UNIQUE"
        for label, key in keyed
    ]
