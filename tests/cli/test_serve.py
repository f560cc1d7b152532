"""accords serve, as real SPARQL clients use it: the installed command serves the corpus of
real reporting; SPARQLWrapper and rdflib's SPARQLStore get the rows the record's own
sparql gives for every named query under each clock; updates are refused; a runaway query
is stopped within the time limit while other clients are answered; 20 clients at once get
correct answers."""

from __future__ import annotations

import json
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper

import accords
from accords.queries.library import library
from served import CORPUS, serve

TIMEOUT, LIMIT = 2, 10_000  # the corpus: named queries give up to 9,222 rows, its graphs 23,987 quads
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?t ?q ?r } GRAPH ?c { ?u ?v ?w } }"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    folder = tmp_path_factory.mktemp("served")
    subprocess.run(["accords", "init"], cwd=folder, check=True, capture_output=True)
    files = sorted(str(p) for p in CORPUS.glob("*.jsonl"))
    subprocess.run(["accords", "import", *files], cwd=folder, check=True, capture_output=True)
    server, base, _ = serve(folder, "--timeout", str(TIMEOUT), "--limit", str(LIMIT))
    yield folder, base
    server.terminate()
    server.wait(timeout=30)


def _get(url: str, accept: str = "application/sparql-results+json", data: bytes | None = None, **headers: str) -> Any:
    request = urllib.request.Request(url, data=data, headers={"Accept": accept, **headers})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def _sorted(bindings: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(b, sort_keys=True) for b in bindings)


def _expected(folder: Path, text: str, clocks: dict[str, str]) -> list[str]:
    answer = accords.open(folder / "accords.db").sparql(text, **clocks)
    return _sorted(json.loads(answer.results.serialize(format=ox.QueryResultsFormat.JSON))["results"]["bindings"])


CLOCKS = [{}, {"as_of": "300"}, {"known_by": "2025-07-01"}, {"valid_at": "2025-06-01"}]


@pytest.mark.parametrize("clocks", CLOCKS, ids=["now", "as_of", "known_by", "valid_at"])
def test_sparqlwrapper_gets_every_named_query_as_the_record_answers_it(
    served: tuple[Path, str], clocks: dict[str, str]
) -> None:
    folder, base = served
    for name, named in sorted(library().items()):
        if named.sparql is None:
            continue
        client = SPARQLWrapper(base + "/sparql")
        client.setQuery(named.sparql)
        client.setReturnFormat(JSON)
        for clock, value in clocks.items():
            client.addParameter(clock, value)
        got = client.query().convert()
        assert isinstance(got, dict)
        assert _sorted(got["results"]["bindings"]) == _expected(folder, named.sparql, clocks), (name, clocks)


def test_rdflib_sparqlstore_gets_every_named_query_as_the_record_answers_it(served: tuple[Path, str]) -> None:
    folder, base = served
    graph = rdflib.Graph(store=SPARQLStore(base + "/sparql", returnFormat="json"))
    record = accords.open(folder / "accords.db")
    for name, named in sorted(library().items()):
        if named.sparql is None:
            continue
        got = sorted(tuple("" if v is None else str(v) for v in row) for row in graph.query(named.sparql))
        results = record.sparql(named.sparql).results  # terms, compared by their lexical form as rdflib gives it
        want = sorted(tuple("" if s[v] is None else s[v].value for v in results.variables) for s in results)
        assert got == want, name


def test_named_query_endpoint_binds_its_parameters(served: tuple[Path, str]) -> None:
    folder, base = served
    record = accords.open(folder / "accords.db")
    for clocks, query in (({}, ""), ({"as_of": "300"}, "&as_of=300")):
        status, headers, body = _get(base + "/query/caps-and-quotas?state=XK" + query)
        want = record.query("caps-and-quotas", {"state": "XK"}, **clocks)
        assert status == 200 and headers["Accords-Head"] == f"{want.head.seq} {want.head.hash}"
        assert len(json.loads(body)["results"]["bindings"]) == len(want.rows()) >= (0 if clocks else 4)
    status, _, body = _get(base + "/query/caps-and-quotas?state=not%20a%20state")
    assert status == 400 and b"state" in body


@pytest.mark.parametrize(
    "accept, parse",
    [
        ("application/sparql-results+xml", lambda b: b.startswith(b"<?xml") and b"<sparql" in b),
        (
            "text/csv",
            lambda b: b.splitlines()[0] == b"payment,payer,payee,amount,currency,consideration,purpose,claim,source",
        ),
        ("text/tab-separated-values", lambda b: b.startswith(b"?payment\t")),
        ("application/json", lambda b: "results" in json.loads(b)),
    ],
)
def test_results_come_in_the_format_asked_for(served: tuple[Path, str], accept: str, parse: Any) -> None:
    status, headers, body = _get(served[1] + "/query/payments", accept)
    assert status == 200 and parse(body), body[:300]


@pytest.mark.parametrize(
    "accept, fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")]
)
def test_a_graph_comes_in_the_format_asked_for(served: tuple[Path, str], accept: str, fmt: str) -> None:
    query = urllib.parse.quote("CONSTRUCT { ?a ?p ?o } WHERE { ?a a acc:Agreement ; ?p ?o }")
    status, _, body = _get(served[1] + "/sparql?query=" + query, accept)
    assert status == 200 and len(rdflib.Graph().parse(data=body, format=fmt)) > 10


def test_updates_are_refused_and_the_service_describes_itself(served: tuple[Path, str]) -> None:
    base = served[1] + "/sparql"
    form = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    assert _get(base, data=form, **{"Content-Type": "application/x-www-form-urlencoded"})[0] == 400
    assert _get(base, data=b"DROP ALL", **{"Content-Type": "application/sparql-update"})[0] == 400
    assert _get(base + "?query=" + urllib.parse.quote("DROP ALL"))[0] == 400  # not a query: a syntax error
    status, _, body = _get(base, "text/turtle")
    described = rdflib.Graph().parse(data=body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert status == 200 and (rdflib.URIRef(base), sd.endpoint, rdflib.URIRef(base)) in described
    form = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    status, _, body = _get(base, data=form, **{"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200 and json.loads(body)["boolean"] is True  # a query posted as a form


def test_a_runaway_query_is_stopped_and_others_are_answered_meanwhile(served: tuple[Path, str]) -> None:
    base = served[1] + "/sparql?query="
    answers: list[int] = []

    def quick() -> None:
        time.sleep(0.5)
        answers.append(_get(base + urllib.parse.quote("ASK { ?s ?p ?o }"))[0])

    other = threading.Thread(target=quick)
    other.start()
    started = time.monotonic()
    status, _, body = _get(base + urllib.parse.quote(RUNAWAY))
    spent = time.monotonic() - started
    other.join()
    assert status == 503 and b"time limit" in body
    assert spent <= TIMEOUT + 1, spent
    assert answers == [200]
    assert _get(base + urllib.parse.quote("ASK { ?s ?p ?o }"))[0] == 200  # the worker was replaced


def test_a_query_that_stops_its_worker_is_an_error_and_the_server_goes_on(served: tuple[Path, str]) -> None:
    """Oxigraph aborts the process it runs in on an ORDER BY over values of different kinds:
    the worker dies, the client is told (500), a new worker answers the next query."""
    base = served[1] + "/sparql?query="
    mixed = urllib.parse.quote("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY DESC(?o) LIMIT 5")
    status, _, body = _get(base + mixed)
    assert status == 200 or (status == 500 and b"ORDER BY" in body), (status, body)
    for _ in range(3):  # each worker in turn
        status, _, body = _get(base + urllib.parse.quote("ASK { ?s ?p ?o }"))
        assert status == 200, body


def test_an_answer_over_the_row_limit_is_refused(served: tuple[Path, str]) -> None:
    query = urllib.parse.quote("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")
    status, _, body = _get(served[1] + "/sparql?query=" + query)
    assert status == 413 and str(LIMIT).encode() in body
    assert (
        _get(served[1] + "/sparql?query=" + urllib.parse.quote(f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {LIMIT}"))[0]
        == 200
    )


def test_twenty_clients_at_once_get_correct_answers(served: tuple[Path, str]) -> None:
    folder, base = served
    names = [n for n, q in sorted(library().items()) if q.sparql is not None]
    record = accords.open(folder / "accords.db")
    want = {n: len(record.query(n).rows()) for n in names}
    got: dict[int, tuple[str, int, int]] = {}

    def client(i: int) -> None:
        name = names[i % len(names)]
        status, _, body = _get(f"{base}/query/{name}")
        got[i] = (name, status, len(json.loads(body)["results"]["bindings"]) if status == 200 else -1)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == list(range(20))
    assert all(status == 200 and rows == want[name] for name, status, rows in got.values()), got


def test_listening_beyond_loopback_is_said(tmp_path: Path) -> None:
    subprocess.run(["accords", "init"], cwd=tmp_path, check=True, capture_output=True)
    for host, warned in (("0.0.0.0", True), ("127.0.0.1", False)):
        server, _, said = serve(tmp_path, "--host", host)
        server.terminate()
        server.wait(timeout=30)
        assert ("warning: listening on 0.0.0.0" in said) is warned, said
