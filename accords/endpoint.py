"""The SPARQL 1.1 Protocol over the record (accords serve): read-only, on the same
projection and the same three clocks as the commands.

- ``/sparql``: a query by GET (``?query=``), by POST as a form (``query=``) or directly
  (``application/sparql-query``); the clocks as the extra parameters ``as_of``,
  ``known_by`` and ``valid_at``; results in JSON, XML, CSV or TSV and graphs in Turtle,
  N-Triples, JSON-LD or RDF/XML, as the Accept header asks; an update is refused (400);
  without a query, the service description (Turtle).
- ``/query/NAME``: a named query (``accords query --list``), its parameters as query
  parameters, the clocks too.
- ``/``, ``/state/CODE``, ``/claim/KEY``, ``/entity/ID``, ``/disagreements``,
  ``/findings``, ``/log``: the pages (pages.py), which run no script: the
  Content-Security-Policy allows nothing but the style sheet.

Each query runs in a worker process (query_workers.py) with a time limit and a result
limit; the answer's ``Accords-Head`` header names the log head it reflects.
Starlette, served by uvicorn: a small, well-kept ASGI stack with no build step.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from accords.query_workers import RESULTS, Job, Reply, Workers

CLOCKS = ("as_of", "known_by", "valid_at")
_FORMATS = {
    **{media: "http://www.w3.org/ns/formats/SPARQL_Results_" + name for media, name in RESULTS.items()},
    "text/turtle": "http://www.w3.org/ns/formats/Turtle",
    "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
    "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
    "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
}
_HEADERS = {"X-Content-Type-Options": "nosniff", "Access-Control-Allow-Origin": "*"}


def _bad(message: str, status: int = 400) -> Response:
    return PlainTextResponse(message, status_code=status, headers=_HEADERS)


# A page runs no script and loads nothing but its own style sheet.
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
    " base-uri 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}


def _reply(reply: Reply) -> Response:
    headers = {**_HEADERS, "Accords-Head": reply.head} if reply.head else dict(_HEADERS)
    if reply.media_type.startswith("text/html"):
        headers.update(_PAGE_HEADERS)
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type, headers=headers)


def _clocks(params: Mapping[str, str]) -> dict[str, str | None]:
    return {clock: params.get(clock) or None for clock in CLOCKS}


def description(base: str) -> str:
    """The SPARQL service description of the endpoint at base (Turtle)."""
    formats = ", ".join(f"<{iri}>" for iri in _FORMATS.values())
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<{base}> a sd:Service ;
  sd:endpoint <{base}> ;
  sd:supportedLanguage sd:SPARQL11Query ;
  sd:resultFormat {formats} ;
  rdfs:comment "accords, read-only. The default graph is what the record believes (graph:belief) with the vocabulary; claims, sources and their provenance are in GRAPH <https://w3id.org/accords/graph/provenance>, each claim's statement in its own graph. The parameters as_of (a seq or an ISO 8601 time), known_by and valid_at (dates) set the three clocks." .
"""


def app(workers: Workers, limit: int) -> Starlette:
    """The ASGI application answering from workers."""

    async def ask(job: Job) -> Response:
        return _reply(await run_in_threadpool(workers.ask, job))

    async def sparql(request: Request) -> Response:
        params: dict[str, str] = dict(request.query_params)
        accept = request.headers.get("accept", "")
        text = params.get("query")
        if request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "application/sparql-update":
                return _bad("this endpoint is read-only: updates are refused")
            if kind == "application/sparql-query":
                text = (await request.body()).decode("utf-8", "replace")
            elif kind == "application/x-www-form-urlencoded":  # the protocol's form: read by the standard library
                params.update(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
                text = params.get("query")
            else:
                return _bad(f"a query is posted as application/sparql-query or a form, not {kind or 'nothing'}", 415)
        if "update" in params:
            return _bad("this endpoint is read-only: updates are refused")
        if text is None:
            if request.method == "POST":
                return _bad("no query: give it as query=...")
            return PlainTextResponse(
                description(str(request.url_for("sparql"))), media_type="text/turtle", headers=_HEADERS
            )
        return await ask(Job(text, clocks=_clocks(params), accept=accept, limit=limit))

    async def named(request: Request) -> Response:
        params = dict(request.query_params)
        clocks = _clocks(params)
        for clock in CLOCKS:
            params.pop(clock, None)
        job = Job(None, request.path_params["name"], params, clocks, request.headers.get("accept", ""), limit)
        return await ask(job)

    def page(name: str, *path: str) -> Any:
        async def show(request: Request) -> Response:
            params = dict(request.query_params)
            clocks = _clocks(params)
            for clock in CLOCKS:
                params.pop(clock, None)
            params.update({p: request.path_params[p] for p in path})
            return await ask(Job(None, params=params, clocks=clocks, limit=limit, page=name))

        return show

    async def style(request: Request) -> Response:
        css = files("accords").joinpath("static", "accords.css").read_bytes()
        return Response(css, media_type="text/css", headers={**_HEADERS, "Cache-Control": "max-age=3600"})

    return Starlette(
        routes=[
            Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
            Route("/query/{name}", named, methods=["GET"]),
            Route("/", page("search"), methods=["GET"]),
            Route("/state/{code}", page("state", "code"), methods=["GET"]),
            Route("/claim/{ref:path}", page("claim", "ref"), methods=["GET"]),
            Route("/entity/{ref:path}", page("entity", "ref"), methods=["GET"]),
            Route("/disagreements", page("disagreements"), methods=["GET"]),
            Route("/findings", page("findings"), methods=["GET"]),
            Route("/log", page("log"), methods=["GET"]),
            Route("/static/accords.css", style, methods=["GET"]),
        ]
    )
