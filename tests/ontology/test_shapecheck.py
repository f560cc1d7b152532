"""The compiled statement checks agree with pyshacl on every fixture, and guard the append."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH

from accords.events.errors import InputError
from accords.events.log import Draft, Log
from accords.events.statement_checks import BLANK, normalize_statement
from accords.events.backends import open_store
from accords.ontology.expansion import expand
from oracles.jsonld import statement_graph
from accords.ontology.shapecheck import ShapeError, TripleData, check_data, check_triples, compile_shapes
from accords.ontology.vocabulary import shared_statement_shapes

FIXTURES = Path(__file__).parent / "fixtures"
ALL = sorted(FIXTURES.glob("*/*/*.json"))


def _name(path: Path) -> str:
    return f"{path.parts[-3]}/{path.parts[-2]}/{path.stem}"


def _key(term: Any) -> Any:
    """A term compared across rdflib and pyoxigraph: blank nodes alike, literals by value."""
    if term is None:
        return None
    if isinstance(term, BNode) or (isinstance(term, ox.NamedNode) and term.value.startswith(BLANK)):
        return "_:"
    if isinstance(term, ox.Literal):
        term = (
            Literal(term.value, lang=term.language)
            if term.language
            else Literal(term.value, datatype=URIRef(term.datatype.value))
        )
    if isinstance(term, Literal):
        return repr(term.toPython())
    return term.value if isinstance(term, ox.NamedNode) else str(term)


@pytest.mark.parametrize("path", ALL, ids=_name)
def test_compiled_checks_agree_with_pyshacl(path: Path) -> None:
    statement = json.loads(path.read_text(encoding="utf-8"))
    statement.pop("_expect", None)
    conforms, report, _text = validate(
        statement_graph(statement), shacl_graph=shared_statement_shapes(), inference="none"
    )
    theirs = sorted(
        (
            _key(report.value(r, SH.focusNode)),
            _key(report.value(r, SH.resultPath)),
            str(report.value(r, SH.resultSeverity)).rsplit("#")[-1],
            str(report.value(r, SH.resultMessage)),
            _key(report.value(r, SH.value)),
        )
        for r in report.subjects(SH.resultSeverity, None)
    )
    ours = sorted(
        (_key(r.focus), _key(r.path), r.severity, r.message, _key(r.value))
        for r in check_triples(expand(statement, BLANK), BLANK)
    )
    assert (not ours) == conforms
    assert ours == theirs


def test_kept_verdicts_change_no_result() -> None:
    """Checks that read a value alone keep their verdicts: every fixture gives the same
    results whichever fixtures were checked before it (two fresh compilations, the
    fixtures in opposite orders)."""
    statements = []
    for path in ALL:
        statement = json.loads(path.read_text(encoding="utf-8"))
        statement.pop("_expect", None)
        statements.append(expand(statement, BLANK))

    def results(order: list[int]) -> dict[int, list[Any]]:
        shapes = compile_shapes(shared_statement_shapes())
        return {i: check_data(shapes, TripleData(statements[i], BLANK)) for i in order}

    forward = list(range(len(statements)))
    first = results(forward)
    assert any(first.values()) and not all(first.values())  # verdicts of both kinds are kept
    assert first == results(forward[::-1])


@pytest.mark.parametrize(
    "construct",
    [
        "sh:qualifiedValueShape [ sh:datatype sh:x ] ; sh:qualifiedMinCount 1",
        "sh:path [ sh:inversePath <urn:p> ] ; sh:minCount 1",
        "sh:lessThan <urn:q>",
    ],
)
def test_anything_else_is_refused_loudly(construct: str) -> None:
    shapes = Graph().parse(
        data=f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:S> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ] ; sh:property [ {construct} ] .""",
        format="turtle",
    )
    with pytest.raises(ShapeError, match="not supported"):
        compile_shapes(shapes)


def test_a_nonconforming_claim_is_refused_naming_the_property(tmp_path: Path) -> None:
    log = Log(open_store(str(tmp_path / "a.db"), create=True), "tester")
    log.append([Draft("SourceRegistered", {"title": "T", "kind": "news"}, "s1")])
    claim = {
        "source": "s1",
        "quote": "q",
        "attributed_to": "a",
        "certainty": "reported",
        "statement": {"@type": "Agreement", "parties": ["state/US"]},
    }
    with pytest.raises(InputError) as refused:
        log.append([Draft("ClaimRecorded", claim, "c1", where="claims.jsonl:7")])
    assert refused.value.message.startswith(
        'claims.jsonl:7: body.statement: the statement: An agreement needs at least two "parties"'
    )
    assert "acc:party" in refused.value.message
    assert log.store.head().seq == 1  # nothing written


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        ({"@type": "Transfer", "from": "state/US", "to": "state/SV", "date": "2025-13-40"}, "2025-13-40"),
        ({"@type": "Transfer", "from": "state/US", "to": "state/SV", "people": "lots"}, "lots"),
        ({"@type": "Stance", "state": "state/PE", "position": "refused", "date": "sometime"}, "EDTF"),
    ],
)
def test_unreadable_dates_and_numbers_are_refused(statement: dict[str, Any], words: str) -> None:
    with pytest.raises(InputError, match=words):
        normalize_statement(statement)


def test_every_problem_of_a_statement_is_named_with_the_key_as_written() -> None:
    with pytest.raises(InputError) as refused:
        normalize_statement({"@type": "Stance", "state": "state/MX", "postion": "resisting"})
    message = refused.value.message
    assert 'not one of its properties (`accords statements Stance` lists them). (got "postion")' in message
    assert 'needs exactly one "position"' in message  # the second problem, named too
    assert refused.value.hint is not None and "accords statements" in refused.value.hint
    with pytest.raises(InputError, match=r"\(got reluctant\)$"):  # a term, not its IRI
        normalize_statement({"@type": "Stance", "state": "state/MX", "position": "reluctant"})
    with pytest.raises(InputError, match="^agreement/x, \"signed\": '2025-13-40' is not an EDTF date"):
        normalize_statement(
            {"@id": "agreement/x", "@type": "Agreement", "parties": ["state/US", "state/MX"], "signed": "2025-13-40"}
        )


def test_a_statement_date_written_as_people_write_it_is_stored_as_edtf() -> None:
    statement = {
        "@type": "Transfer",
        "from": "state/US",
        "to": "state/SV",
        "date": "5 August 2025",
        "agreement": {
            "@id": "agreement/us-sv",
            "@type": "Agreement",
            "signed": "March 2025",
            "parties": ["state/US", "state/SV"],
        },
    }
    stored = normalize_statement(statement)
    assert (stored["date"], stored["agreement"]["signed"]) == ("2025-08-05", "2025-03")
    assert normalize_statement(stored) == stored
    with pytest.raises(InputError, match="\"date\": '01/02/2025' is ambiguous"):
        normalize_statement({**statement, "date": "01/02/2025"})


def test_unreadable_json_ld_is_an_input_error() -> None:
    with pytest.raises(InputError):
        normalize_statement({"@type": "State", "@id": "state/has space"})
