"""accords export --format trig|nquads|turtle|jsonld|prov: the projection as files others read."""

from __future__ import annotations

import io
import re
import warnings
from pathlib import Path
from typing import Any

import prov
import prov.model as pm
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from accords.events.backends import open_store
from accords.graph.projection import META, Projection
from accords.graph.terms import BELIEF, ID

SAMPLE = Path(__file__).parents[1] / "events" / "data" / "sample.jsonl"
MORE = b"""\
{"type": "SourceRegistered", "key": "src-ap", "body": {"title": "AP on the report", "publisher": "AP", "published": "2025-06-12", "kind": "news", "derived_from": ["src-seed"]}}
{"type": "ClaimRecorded", "key": "c-ap", "body": {"source": "src-ap", "quote": "Rwanda took payment", "attributed_to": "Rwandan officials", "statement": {"@id": "agreement/us-rw", "@type": "Agreement", "parties": ["state/US", "state/RW"], "status": "in_force", "people": "about 250"}, "certainty": "alleged"}}
"""


def _term(term: Any) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        plain = term.datatype.value == str(XSD.string)  # rdflib keeps xsd:string implicit
        return rdflib.Literal(term.value, datatype=None if plain else rdflib.URIRef(term.datatype.value))
    return rdflib.BNode(term.value)


def _expected(url: str) -> dict[str, rdflib.Graph]:
    """Every graph of the projection, folded afresh from the log, as rdflib graphs by name:
    the belief as the default graph, the projection's own head left out."""
    projection = Projection.memory()
    recorder = open_store(url)
    projection.fold(recorder.read())
    recorder.close()
    graphs: dict[str, rdflib.Graph] = {}
    for q in projection.store.quads_for_pattern(None, None, None, None):
        if q.graph_name == META:
            continue
        name = DEFAULT if q.graph_name == BELIEF else q.graph_name.value  # type: ignore[union-attr]
        graph = graphs.setdefault(name, rdflib.Graph())
        graph.add((_term(q.subject), _term(q.predicate), _term(q.object)))
    return graphs


@pytest.fixture
def store(sqlite_run):  # type: ignore[no-untyped-def]
    assert sqlite_run("import", str(SAMPLE)).exit_code == 0
    assert sqlite_run("import", "-", input=MORE).exit_code == 0
    return sqlite_run


def _export(run: Any, *args: str) -> bytes:
    result = run("export", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes  # type: ignore[no-any-return]


def _graphs(data: bytes, fmt: str) -> dict[str, rdflib.Graph]:
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format=fmt)
    return {str(g.identifier): g for g in dataset.graphs() if len(g)}


DEFAULT = str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID)


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_dataset_formats_reparse_to_every_graph(store, fmt: str, rdflib_format: str) -> None:  # type: ignore[no-untyped-def]
    """By default, with the belief as the default graph: what a store answers when asked
    without naming a graph."""
    expected = _expected(store.store)
    found = _graphs(_export(store, "--format", fmt), rdflib_format)
    assert set(found) == set(expected)
    for name, graph in expected.items():
        assert isomorphic(found[name], graph), name


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_dataset_formats_of_the_belief_alone(store, fmt: str, rdflib_format: str) -> None:  # type: ignore[no-untyped-def]
    found = _graphs(_export(store, "--format", fmt, "--graph", "belief"), rdflib_format)
    assert list(found) == [DEFAULT]
    assert isomorphic(found[DEFAULT], _expected(store.store)[DEFAULT])


def test_a_dataset_export_says_how_to_load_it_and_which_view_it_is(store) -> None:  # type: ignore[no-untyped-def]
    text = _export(store, "--format", "trig", "--as-of", "3").decode()
    assert text.startswith("# accords export of ") and "at seq 3 (--as-of 3)" in text.splitlines()[0]
    assert "kept apart" in text
    assert "c-ap" not in text and "c-peru-resists" in text  # seq 5 is out of the view, seq 3 in it


def test_the_clocks_do_not_apply_to_the_log(store) -> None:  # type: ignore[no-untyped-def]
    result = store("export", "--as-of", "2")
    assert result.exit_code == 2 and "not to jsonl" in result.stderr


def test_turtle_is_the_belief_graph(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "belief.ttl"
    _export(store, "--format", "turtle", "-o", str(path))
    graph = rdflib.Graph().parse(path, format="turtle")
    assert isomorphic(graph, _expected(store.store)[DEFAULT])
    assert (rdflib.URIRef(ID + "agreement/us-rw"), None, None) in graph


def test_turtle_of_every_graph_is_refused(store) -> None:  # type: ignore[no-untyped-def]
    result = store("export", "--format", "turtle", "--graph", "all")
    assert result.exit_code == 2
    assert "turtle holds one graph" in result.stderr


def test_jsonl_stays_the_default_and_takes_no_graph(store) -> None:  # type: ignore[no-untyped-def]
    assert _export(store).startswith(b'{"seq":1,')
    result = store("export", "--graph", "belief")
    assert result.exit_code == 2
    assert "--graph and the clocks apply to the RDF formats" in result.stderr


def test_prov_export_reads_in_the_prov_package(store) -> None:  # type: ignore[no-untyped-def]
    data = _export(store, "--format", "prov")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's own, inside prov
        document = prov.read(io.BytesIO(data), format="rdf", rdf_format="turtle")
    assert document is not None

    def ids(kind: Any) -> set[str]:
        return {r.identifier.uri for r in document.get_records(kind) if r.identifier}

    entities, agents = ids(pm.ProvEntity), ids(pm.ProvAgent)
    assert sum(1 for e in entities if e.startswith(ID + "claim/")) == 3
    assert sum(1 for e in entities if e.startswith(ID + "source/")) == 2
    readable = {re.sub(r"-[0-9a-f]{8}$", "", a.removeprefix(ID)) for a in agents}  # each name's own IRI
    assert readable == {
        "speaker/u-s-officials",
        "speaker/rwandan-officials",
        "publisher/example-news",
        "publisher/ap",
        "recorder/tester",
    }
    # two claims from the seed, one from AP, and AP's report from the seed
    assert len(list(document.get_records(pm.ProvDerivation))) == 4
    assert len(list(document.get_records(pm.ProvAttribution))) == 5
    [invalidation] = list(document.get_records(pm.ProvInvalidation))
    assert invalidation.args[0].uri.startswith(ID + "claim/")
    labels = {str(v) for e in document.get_records(pm.ProvEntity) for v in e.get_attribute("prov:label")}
    assert {"c-rwanda-paid", "c-peru-resists", "AP on the report"} <= labels


def test_jsonld_is_compacted_with_the_shipped_context(store) -> None:  # type: ignore[no-untyped-def]
    """Keys and types read as in an import file: parties, Agreement, not expanded IRIs."""
    import json

    document = json.loads(_export(store, "--format", "jsonld"))
    assert document["@context"]["@vocab"] == "https://w3id.org/accords/ns#"
    text = json.dumps(document["@graph"])
    assert '"parties"' in text and '"@type": "Agreement"' in text
    assert "https://w3id.org/accords/ns#party" not in text
