"""The vocabulary, the context and the shapes agree with each other and with the contract."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH

from accords.ontology.expansion import compiled
from oracles.jsonld import statement_graph
from accords.ontology.vocabulary import (
    ACC,
    ID_BASE,
    bound_datatype,
    bounded_properties,
    context,
    ontology_graph,
    statement_shapes,
)

CLASSES = [
    "State",
    "Agreement",
    "Transfer",
    "Request",
    "Payment",
    "Stance",
    "CourtRuling",
    "Target",
    "ConditionReport",
    "Actor",
    "Pressure",
    "Lawsuit",
    "Quantity",
    "Claim",
    "Source",
]
PREFIXES = {"acc", "dcterms", "oa", "owl", "prov", "rdf", "rdfs", "schema", "skos", "time", "xsd"}
# Enumerated keys, the class their words belong to, and the words the contract names.
ENUMERATIONS = {
    "legal_form": (
        "LegalForm",
        {"treaty", "memorandum_of_understanding", "exchange_of_notes", "informal_arrangement", "undisclosed"},
    ),
    "position": ("Position", {"willing", "considering", "resisting", "refused", "denied"}),
    "certainty": ("Certainty", {"confirmed", "reported", "alleged", "rumoured"}),
    "polarity": ("Polarity", {"affirmed", "denied"}),
    "channel": ("Channel", {"diplomatic_cable"}),
    "effect_on_transfers": ("EffectOnTransfers", {"halted"}),
    "action": ("Action", {"request"}),
    "conditions": ("ConditionKind", {"conflict", "instability", "human_rights_violations"}),
    "source_kind": ("SourceKind", {"news", "government", "court", "ngo", "leaked_document", "statement"}),
}
AGREEMENT_STATUS = {"reported", "negotiating", "concluded", "signed", "in_force", "suspended", "terminated"}
TRANSFER_STATUS = {"planned", "completed", "blocked", "diverted", "stranded", "cancelled"}
LAWSUIT_STATUS = {"filed", "pending", "dismissed", "withdrawn", "decided"}
REQUEST_STATUS = {"planned", "made", "negotiating"}
CLAIM_STATUS = {"active", "retracted", "corrected"}
RECORD_TERMS = [
    "seq",
    "eventHash",
    "certainty",
    "polarity",
    "status",
    "validFrom",
    "validUntil",
    "validTime",
    "publishedEarliest",
    "publishedLatest",
    "recordedBy",
    "sourceKind",
]


# Loaded once: each call returns a fresh copy, which is right for users and slow for loops.
ONTOLOGY = ontology_graph()
SHAPES = statement_shapes()


def _context_iri(key: str) -> str:
    return compiled().terms[key].iri


def _terms() -> dict[str, Any]:
    return {k: v for k, v in context().items() if not k.startswith("@") and k not in PREFIXES}


def _expand(term: str) -> URIRef:
    return ONTOLOGY.namespace_manager.expand_curie(term)


def _property_terms() -> dict[str, URIRef]:
    return {k: _expand(v["@id"]) for k, v in _terms().items() if isinstance(v, dict)}


def _members(cls: str) -> set[str]:
    graph = ONTOLOGY
    return {str(s).removeprefix(str(ACC)) for s in graph.subjects(RDF.type, ACC[cls])}


def test_files_parse() -> None:
    assert len(ontology_graph()) > 100
    assert len(statement_shapes()) > 100


def test_every_contract_class_exists() -> None:
    graph = ONTOLOGY
    for name in CLASSES:
        assert (ACC[name], RDF.type, OWL.Class) in graph, name
    assert (ACC.Claim, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in graph


def test_class_terms_map_to_declared_classes() -> None:
    graph = ONTOLOGY
    for term, value in _terms().items():
        if isinstance(value, str):
            assert (_expand(value), RDF.type, OWL.Class) in graph, term


@pytest.mark.parametrize("term", sorted(_property_terms()))
def test_context_property_is_declared_with_label_and_comment(term: str) -> None:
    graph = ONTOLOGY
    iri = _property_terms()[term]
    kinds = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    assert set(graph.objects(iri, RDF.type)) & kinds, f"{term} -> {iri} is not declared"
    assert graph.value(iri, RDFS.label) is not None, f"{iri} has no rdfs:label"
    assert graph.value(iri, RDFS.comment) is not None, f"{iri} has no rdfs:comment"


def test_every_declared_property_has_label_and_comment() -> None:
    graph = ONTOLOGY
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for prop in graph.subjects(RDF.type, kind):
            assert graph.value(prop, RDFS.label) is not None, prop
            assert graph.value(prop, RDFS.comment) is not None, prop


def test_record_terms_exist() -> None:
    graph = ONTOLOGY
    for name in RECORD_TERMS:
        assert graph.value(ACC[name], RDFS.label) is not None, name


def _scoped_contexts(value: Any) -> list[Any]:
    if isinstance(value, dict):
        found = [value["@context"]] if "@context" in value else []
        return found + [c for item in value.values() for c in _scoped_contexts(item)]
    return []


def test_context_is_local_only() -> None:
    # A string @context or @import would be a URL for rdflib to fetch.
    assert '"@import"' not in json.dumps(context())
    assert all(isinstance(c, dict) for c in _scoped_contexts(context()))
    assert context()["@base"] == ID_BASE


def test_context_is_a_copy() -> None:
    context()["parties"] = "oops"
    assert context()["parties"]["@id"] == "acc:party"


@pytest.mark.parametrize("key", sorted(ENUMERATIONS))
def test_enumeration_words_exist(key: str) -> None:
    cls, words = ENUMERATIONS[key]
    assert words <= _members(cls)


def test_status_words_exist() -> None:
    assert AGREEMENT_STATUS == _members("AgreementStatus")
    assert TRANSFER_STATUS == _members("TransferStatus")
    assert LAWSUIT_STATUS == _members("LawsuitStatus")
    assert REQUEST_STATUS == _members("RequestStatus")
    assert CLAIM_STATUS == _members("ClaimStatus")


def test_every_enumeration_word_has_labels() -> None:
    graph = ONTOLOGY
    for word in graph.subjects(RDF.type, SKOS.Concept):
        assert graph.value(word, RDFS.label) is not None, word
        assert graph.value(word, SKOS.definition) is not None, word
        assert graph.value(word, SKOS.inScheme) is not None, word


def _enum_keys() -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in _terms().items():
        if isinstance(value, dict) and value.get("@type") == "@vocab" and key != "unknown":
            pairs.extend((key, word) for word in value["@context"])
    return pairs


@pytest.mark.parametrize(("key", "word"), _enum_keys())
def test_enumeration_word_becomes_its_own_iri(key: str, word: str) -> None:
    # "status": "signed" must not become acc:signedDate, the IRI of the key "signed".
    graph = statement_graph({"@id": "x/1", key: word})
    assert set(graph.objects()) == {ACC[word]}
    assert (ACC[word], RDF.type, None) in ONTOLOGY


def test_unknown_names_a_key_by_its_property() -> None:
    # "unknown": ["signed"] says the signing date is unknown: the word is a key, its IRI the key's property.
    for word in _terms()["unknown"]["@context"]:
        graph = statement_graph({"@id": "x/1", "unknown": [word]})
        assert set(graph.objects()) == {URIRef(_context_iri(word))}, word


def test_shape_choices_match_the_vocabulary() -> None:
    shapes = SHAPES
    ranges = {p: ONTOLOGY.value(p, RDFS.range) for p in ONTOLOGY.subjects(RDFS.range, None)}
    for shape in shapes.subjects(SH["in"], None):
        path = shapes.value(shape, SH.path)
        if path == RDF.type or not isinstance(path, URIRef):
            continue
        head = shapes.value(shape, SH["in"])
        assert head is not None
        allowed = set(Collection(shapes, head))
        if all(isinstance(word, Literal) for word in allowed):
            continue  # words a source writes in a text value ("undisclosed"), not vocabulary terms
        if path == ACC.status:  # an agreement's stage, whether a transfer took place, a lawsuit's state
            assert allowed in [
                {ACC[w] for w in words} for words in (AGREEMENT_STATUS, TRANSFER_STATUS, LAWSUIT_STATUS, REQUEST_STATUS)
            ]
            continue
        if path == ACC.unknown:  # keys, named by their properties
            assert allowed == {URIRef(_context_iri(w)) for w in _terms()["unknown"]["@context"]}
            continue
        assert allowed == set(ONTOLOGY.subjects(RDF.type, ranges[path])), path


def test_every_shape_constraint_has_a_message_and_severity() -> None:
    shapes = SHAPES
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    property_shapes = {p for n in node_shapes for p in shapes.objects(n, SH.property)}
    assert len(node_shapes) >= 9
    for shape in node_shapes | property_shapes:
        assert shapes.value(shape, SH.message) is not None, shape
        assert shapes.value(shape, SH.severity) == SH.Violation, shape


def test_every_shape_path_is_declared() -> None:
    graph = ONTOLOGY
    for path in set(SHAPES.objects(None, SH.path)) - {RDF.type}:
        assert graph.value(path, RDFS.label) is not None, path


def test_every_statement_class_has_a_closed_shape() -> None:
    shapes = SHAPES
    closed = {shapes.value(s, SH.targetClass) for s in shapes.subjects(SH.closed, Literal(True))}
    assert closed == {ACC[c] for c in CLASSES if c not in ("Claim", "Source")}


def test_bounded_properties_have_typed_bounds() -> None:
    found = bounded_properties()
    assert found[ACC.people] == (ACC.peopleMin, ACC.peopleMax)
    assert found[ACC.amount] == (ACC.amountMin, ACC.amountMax)
    assert found[ACC.validTime] == (ACC.validFrom, ACC.validUntil)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for low, high in found.values():
        assert bound_datatype(low) == bound_datatype(high)
        assert str(bound_datatype(low)) in {xsd + "integer", xsd + "decimal", xsd + "date"}


def test_ontology_graph_is_a_fresh_copy() -> None:
    graph = ontology_graph()
    graph.remove((None, None, None))
    assert len(ontology_graph()) > 100
    assert isinstance(graph, Graph)
