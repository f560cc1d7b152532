"""Every statement fixture conforms, or fails with exactly the finding it expects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, URIRef

from accords.events.errors import InputError
from oracles.jsonld import statement_graph
from oracles.shacl import Finding, check_statement
from accords.ontology.vocabulary import ID_BASE, context, ontology_graph, statement_shapes

FIXTURES = Path(__file__).parent / "fixtures"
CONFORMING = sorted(FIXTURES.glob("*/conforming/*.json"))
NONCONFORMING = sorted(FIXTURES.glob("*/nonconforming/*.json"))
STATEMENT_TYPES = [
    "Agreement",
    "Transfer",
    "Request",
    "Payment",
    "Stance",
    "CourtRuling",
    "Target",
    "ConditionReport",
    "State",
]


def _name(path: Path) -> str:
    return f"{path.parts[-3]}/{path.stem}"


def _load(path: Path) -> tuple[dict[str, Any], dict[str, Any] | None]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    expect = data.pop("_expect", None)
    return data, expect


NAMESPACES = ontology_graph().namespace_manager


def _iri(prefixed: str) -> URIRef:
    return NAMESPACES.expand_curie(prefixed)


def _matches(finding: Finding, expect: dict[str, Any]) -> bool:
    focus = expect["focus"]
    if focus == "_:":
        focus_ok = isinstance(finding.focus, BNode)
    else:
        focus_ok = finding.focus == URIRef(ID_BASE + focus)
    path = expect["path"]
    path_ok = finding.path is None if path is None else finding.path == _iri(path)
    return (
        focus_ok and path_ok and finding.severity == expect["severity"] and expect.get("message", "") in finding.message
    )


def test_every_type_has_enough_fixtures() -> None:
    for kind in STATEMENT_TYPES:
        assert len(list((FIXTURES / kind / "conforming").glob("*.json"))) >= 1, kind
        assert len(list((FIXTURES / kind / "nonconforming").glob("*.json"))) >= 2, kind


@pytest.mark.parametrize("path", CONFORMING, ids=_name)
def test_conforming(path: Path) -> None:
    statement, _ = _load(path)
    assert check_statement(statement) == ()


@pytest.mark.parametrize("path", NONCONFORMING, ids=_name)
def test_nonconforming(path: Path) -> None:
    statement, expect = _load(path)
    assert expect is not None, "a nonconforming fixture carries its _expect"
    findings = check_statement(statement)
    assert any(_matches(f, expect) for f in findings), findings
    assert all(f.message for f in findings), "every finding says what is wrong"


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("path", CONFORMING, ids=_name)
def test_pyshacl_directly_with_local_context(path: Path) -> None:
    # The same verdict from plain rdflib + pyshacl, with the context passed as an object.
    # No ont_graph: pyshacl would merge accords.ttl into the data, and the @type check
    # would then flag every typed term of the vocabulary.
    statement, _ = _load(path)
    data = Graph().parse(data=json.dumps(statement), format="json-ld", context=context())
    conforms, _graph, text = validate(data, shacl_graph=statement_shapes())
    assert conforms, text


def test_embedded_context_is_refused() -> None:
    with pytest.raises(InputError, match="@context"):
        statement_graph({"@context": "https://example.org/ctx.jsonld", "@type": "State"})


def test_nested_embedded_context_is_refused() -> None:
    with pytest.raises(InputError, match="@context"):
        statement_graph({"@type": "Transfer", "from": {"@context": {}, "@id": "state/US"}})


def test_relative_ids_resolve_against_the_id_base() -> None:
    graph = statement_graph({"@id": "agreement/us-rw", "@type": "Agreement", "parties": ["state/RW"]})
    assert (URIRef(ID_BASE + "agreement/us-rw"), None, URIRef(ID_BASE + "state/RW")) in graph


def test_statement_without_id_is_a_blank_node() -> None:
    graph = statement_graph({"@type": "Payment", "payer": "state/US", "payee": "state/RW"})
    subjects = set(graph.subjects())
    assert len(subjects) == 1 and isinstance(subjects.pop(), BNode)
