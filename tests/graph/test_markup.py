"""Fact-checks and quotes out (graph/markup.py): `export --format claimreview` is schema.org
ClaimReview and `--format annotation` W3C Web Annotation, read back by rdflib's JSON-LD
parser against local copies of the contexts they name (fixtures/contexts), sockets blocked."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from tampering import DATA

CONTEXTS = Path(__file__).parent / "fixtures" / "contexts"
SDO = Namespace("http://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
AS = Namespace("http://www.w3.org/ns/activitystreams#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

WIRE = {"title": "Deportees land in Kigali", "kind": "news", "publisher": "Agence", "url": "https://wire.example/a"}
COPY = {"title": "Deportees land", "kind": "news", "publisher": "Daily", "url": "https://daily.example/b"}
QUOTE = "Seven deportees landed in Kigali on Thursday, officials said."


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"a socket was opened: {args}")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def reviewed(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The sample, then wire copy with a claim on the copy, and two reviews of it."""
    run("import", str(DATA / "sample.jsonl"))
    lines = [
        {"type": "SourceRegistered", "key": "src-wire", "body": WIRE},
        {"type": "SourceRegistered", "key": "src-copy", "body": {**COPY, "derived_from": ["src-wire"]}},
        {
            "type": "ClaimRecorded",
            "key": "c-landed",
            "body": {
                "source": "src-copy",
                "quote": QUOTE,
                "attributed_to": "Rwandan officials",
                "statement": {"@type": "Transfer", "from": "state/US", "to": "state/RW", "people": 7},
                "certainty": "reported",
            },
        },
        {
            "type": "ClaimReviewed",
            "body": {"claim": "c-landed", "rating": "mostly_false", "reviewer": "Desk", "note": "Five, not seven"},
        },
    ]
    (tmp_path / "more.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert run("import", str(tmp_path / "more.jsonl")).exit_code == 0
    assert (
        run(
            "record",
            "--type",
            "ClaimReviewed",
            "-f",
            "claim=c-rwanda-paid",
            "-f",
            "rating=unproven",
            "-f",
            "reviewer=Desk",
            "-f",
            'sources=["src-wire"]',
        ).exit_code
        == 0
    )


def parsed(text: str, context: str) -> Graph:
    """The JSON-LD document read by rdflib with the local copy of the context it names."""
    doc = json.loads(text)
    doc["@context"] = json.loads((CONTEXTS / context).read_text(encoding="utf-8"))["@context"]
    graph = Graph().parse(data=json.dumps(doc), format="json-ld")
    again = Graph().parse(data=graph.serialize(format="json-ld"), format="json-ld")  # expanded, and back
    assert isomorphic(graph, again) and len(graph) > 20
    return graph


def test_reviews_are_claimreview_markup(sqlite_run, tmp_path: Path, no_network: None) -> None:  # type: ignore[no-untyped-def]
    run = sqlite_run
    reviewed(run, tmp_path)
    out = run("export", "--format", "claimreview")
    assert out.exit_code == 0, out.stderr
    assert json.loads(out.stdout)["@context"] == "https://schema.org"
    graph = parsed(out.stdout, "schema.jsonld")
    reviews = sorted(graph.subjects(SDO.claimReviewed, None))
    assert len(reviews) == 2
    landed = next(r for r in reviews if graph.value(r, SDO.claimReviewed) == Literal(QUOTE))
    rating = graph.value(landed, SDO.reviewRating)
    assert graph.value(rating, SDO.alternateName) == Literal("mostly false")
    assert (graph.value(rating, SDO.ratingValue), graph.value(rating, SDO.bestRating)) == (Literal(2), Literal(5))
    assert graph.value(landed, SDO.reviewBody) == Literal("Five, not seven")
    claim = graph.value(landed, SDO.itemReviewed)
    assert graph.value(graph.value(claim, SDO.author), SDO.name) == Literal("Rwandan officials")
    assert graph.value(graph.value(claim, SDO.appearance), SDO.url) == URIRef(COPY["url"])
    assert graph.value(graph.value(claim, SDO.firstAppearance), SDO.url) == URIRef(WIRE["url"])  # the wire story
    unproven = next(r for r in reviews if r != landed)
    assert graph.value(graph.value(unproven, SDO.reviewRating), SDO.ratingValue) is None  # a word, no number
    assert graph.value(graph.value(unproven, SDO.citation), SDO.url) == URIRef(WIRE["url"])
    # a view of the clocks: before the reviews were recorded there were none
    before = run("export", "--format", "claimreview", "--as-of", "4")
    assert json.loads(before.stdout)["@graph"] == []


def test_quotes_are_web_annotations(sqlite_run, tmp_path: Path, no_network: None) -> None:  # type: ignore[no-untyped-def]
    run = sqlite_run
    reviewed(run, tmp_path)
    out = run("export", "--format", "annotation")
    assert out.exit_code == 0, out.stderr
    graph = parsed(out.stdout, "anno.jsonld")
    annotations = list(graph.subjects(OA.motivatedBy, OA.describing))
    assert len(annotations) == 3  # every claim has a source with a URL, the retracted one too
    page = next(graph.subjects(None, AS.OrderedCollectionPage))
    assert len(list(graph.items(graph.value(page, AS.items)))) == 3
    said = {str(graph.value(graph.value(a, OA.hasBody), RDF.value)) for a in annotations}
    assert "Stance, said by U.S. officials (retracted)" in said
    landed = next(
        a for a in annotations if graph.value(graph.value(a, OA.hasTarget), OA.hasSource) == URIRef(COPY["url"])
    )
    selector = graph.value(graph.value(landed, OA.hasTarget), OA.hasSelector)
    assert graph.value(selector, OA.exact) == Literal(QUOTE)
    assert str(
        graph.value(
            graph.value(landed, OA.hasBody),
            URIRef(str(Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")) + "value"),
        )
    ) == ("Transfer, said by Rwandan officials (active)")
    assert graph.value(graph.value(landed, URIRef("http://purl.org/dc/terms/creator")), FOAF.name) == Literal("tester")


def test_the_markup_formats_take_no_graph(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(DATA / "sample.jsonl"))
    for fmt in ("claimreview", "annotation"):
        result = sqlite_run("export", "--format", fmt, "--graph", "all")
        assert result.exit_code == 2 and f"--graph does not apply to {fmt}" in result.stderr
