"""The workbench's pages (accords serve), for people who do not write queries: search, a
state's timeline, a claim's trace. Each is rendered in a query worker (query_workers.py:
the same time limit) from the API the commands use, on the three clocks.

Everything shown comes from the open web and is treated as hostile: Jinja2 escapes every
value, control characters are shown as escapes (output.visible), only http(s) URLs become
links, and the pages run no script at all (the server's Content-Security-Policy forbids
any), so a quote holding markup stays text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox

from accords.events.errors import InputError
from accords.output import visible
from accords.trace import captured

_SEARCH = """PREFIX acc: <https://w3id.org/accords/ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX graph: <https://w3id.org/accords/graph/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?kind ?thing ?text ?key WHERE {
  { GRAPH graph:vocabulary { ?thing rdfs:label ?text }
    FILTER (STRSTARTS(STR(?thing), "https://w3id.org/accords/id/state/")) BIND ("state" AS ?kind) }
  UNION { GRAPH graph:belief { ?thing a ?type } FILTER (STRSTARTS(STR(?thing), "https://w3id.org/accords/id/")
          && !STRSTARTS(STR(?thing), "https://w3id.org/accords/id/state/"))
          BIND (STRAFTER(STR(?thing), "https://w3id.org/accords/id/") AS ?key) BIND (?key AS ?text)
          BIND ("entity" AS ?kind) }
  UNION { GRAPH graph:belief { ?thing schema:name|skos:altLabel ?name }  # a thing by its name or another
          FILTER (STRSTARTS(STR(?thing), "https://w3id.org/accords/id/")
          && !STRSTARTS(STR(?thing), "https://w3id.org/accords/id/state/"))
          BIND (STRAFTER(STR(?thing), "https://w3id.org/accords/id/") AS ?key)
          BIND (CONCAT(STR(?name), " (", ?key, ")") AS ?text) BIND ("entity" AS ?kind) }
  UNION { GRAPH graph:provenance { ?thing acc:quote ?text OPTIONAL { ?thing acc:key ?key } } BIND ("claim" AS ?kind) }
  UNION { GRAPH graph:provenance { ?thing a acc:Source ; dcterms:publisher/rdfs:label ?publisher ; dcterms:title ?title
          OPTIONAL { ?thing acc:key ?key } }
          BIND (CONCAT(?publisher, ": ", ?title) AS ?text) BIND ("source" AS ?kind) }
  FILTER (CONTAINS(LCASE(STR(?text)), LCASE(?words)))
}
ORDER BY ?kind STR(?text)
LIMIT 300"""
"""Standard SPARQL 1.1: states by name, things by identifier (agreement/us-xk), name or
alias (DHS), claims by the words of their quote, sources by publisher (and title); ?words
is bound by VALUES. (A state by any other name, "Swaziland" or "U.S.", is found by the rule
that resolves a claim's state at append: _state_named.)"""


@dataclass(frozen=True, slots=True)
class Page:
    template: str
    title: str
    data: dict[str, Any]


@cache
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("accords", "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    env.filters["visible"] = lambda v: "" if v is None else visible(str(v))
    env.filters["captured"] = captured
    env.filters["link"] = lambda url: url if isinstance(url, str) and url.startswith(("https://", "http://")) else None
    return env


_IN_PATH = ("code", "ref")  # the parameters a page's path holds (/state/CODE, /claim/REF)


def render(record: Any, name: str, params: dict[str, str], clocks: dict[str, str | None]) -> bytes:
    """The page name (search, state, claim, entity, disagreements, findings, log) as HTML."""
    pages = {
        "search": _search,
        "state": _state,
        "claim": _claim,
        "entity": _entity,
        "disagreements": _disagreements,
        "findings": _findings,
        "log": _log,
    }
    page = pages[name](record, params, clocks)
    head = record.recorder.head()
    given = {k: v for k, v in clocks.items() if v}
    asked = {k: v for k, v in params.items() if k not in _IN_PATH}
    permalink = {**asked, **given, "as_of": given.get("as_of") or str(head.seq)}
    html = (
        _environment()
        .get_template(page.template)
        .render(
            title=page.title,
            clocks=given,
            params=asked,
            clocked=urlencode(given),
            permalink=urlencode(permalink),
            head=head,
            **page.data,
        )
    )
    return str(html).encode("utf-8")


def _search(record: Any, params: dict[str, str], clocks: dict[str, str | None]) -> Page:
    words = params.get("q", "").strip()
    found: dict[str, list[dict[str, str]]] = {"state": [], "entity": [], "claim": [], "source": []}
    if words:
        text = _SEARCH.replace("WHERE {", f"WHERE {{\n  VALUES ?words {{ {ox.Literal(words)} }}", 1)
        for row in record.sparql(text, **clocks).rows(iris=True):
            thing = str(row["thing"])
            name = thing.rsplit("/", 1)[-1]
            ref = row["key"] or (name if row["kind"] == "state" else f"{row['kind']}/{name[:12]}")
            found[row["kind"]].append({"ref": ref, "text": row["text"]})
        named = _state_named(words)
        if named and named[0] not in {s["ref"] for s in found["state"]}:
            found["state"].insert(0, {"ref": named[0], "text": f"{named[1]} ({words})"})
    return Page("search.html", f"Search: {words}" if words else "Search", {"words": words, "found": found})


def _state_named(words: str) -> tuple[str, str] | None:
    """The code and name of the state words name ("Swaziland", "U.S.", "RWA"), as a claim's
    state is resolved at append, if they name exactly one."""
    from accords.ontology.states import resolve_state, state_name

    try:
        code = resolve_state(words)
    except InputError:
        return None
    return code, state_name(code)


def _state(record: Any, params: dict[str, str], clocks: dict[str, str | None]) -> Page:
    code = params["code"]
    rows = record.query("state-timeline", {"state": code}, **clocks).rows()
    disputed = set()
    for row in record.query("contradictions", **clocks).rows():
        disputed |= set(str(row["claims"]).split())
    claims: dict[str, dict[str, Any]] = {}
    for row in rows:  # a claim that names the state in several ways is one mark
        claims.setdefault(row["key"], {**row, "disputed": row["key"] in disputed})
    state = rows[0]["state"] if rows else code
    return Page("state.html", f"{state}: timeline", {"state": state, "code": code, **_timeline(list(claims.values()))})


def _timeline(claims: list[dict[str, Any]]) -> dict[str, Any]:
    """Marks across valid time, one lane per kind of statement (a claim with no valid time
    in rows of its own, in record order), as SVG coordinates. Marks that would cover each
    other are stacked, so each can be seen and clicked."""
    width, left, right, gap = 960, 150, 50, 13
    dated = [c for c in claims if isinstance(c["valid_from"], dt.date)]
    undated = sorted((c for c in claims if not isinstance(c["valid_from"], dt.date)), key=lambda c: c["seq"])
    marks: list[dict[str, Any]] = []
    lanes: list[dict[str, Any]] = []
    ticks: list[dict[str, Any]] = []
    y = 40
    if dated:
        first: dt.date = min(c["valid_from"] for c in dated)
        last: dt.date = max(c["valid_from"] for c in dated)
        span = max((last - first).days, 1)

        def x_of(day: dt.date) -> float:
            return round(left + (width - left - right) * int((day - first).days) / span, 1)

        for lane in sorted({c["type"] for c in dated}):
            levels: list[float] = []  # the right-most x taken at each level of this lane
            for c in sorted((c for c in dated if c["type"] == lane), key=lambda c: (c["valid_from"], c["seq"])):
                x = x_of(c["valid_from"])
                level = next((n for n, taken in enumerate(levels) if x - taken >= gap), len(levels))
                levels[level : level + 1] = [x]
                marks.append({**c, "x": x, "y": y + gap * level})
            lanes.append({"name": lane, "y": y})
            y += gap * len(levels) + 17
        ticks = [
            {
                "x": x_of(first + dt.timedelta(days=span * i // 4)),
                "label": (first + dt.timedelta(days=span * i // 4)).isoformat(),
            }
            for i in range(5)
        ]
    undated_y = y + 3 if undated else None
    row = int((width - left - right) // gap)
    for n, c in enumerate(undated):
        marks.append({**c, "x": round(left + gap * (n % row + 0.5), 1), "y": y + 3 + gap * (n // row)})
    axis = y + (gap * ((len(undated) - 1) // row + 1) + 12 if undated else 0)
    return {
        "marks": marks,
        "lanes": lanes,
        "undated_y": undated_y,
        "ticks": ticks,
        "axis": axis,
        "width": width,
        "height": axis + 40,
        "claims": sorted(claims, key=lambda c: (c["valid_from"] is None, str(c["valid_from"]), c["seq"])),
    }


def _claim(record: Any, params: dict[str, str], clocks: dict[str, str | None]) -> Page:
    ref = params["ref"]
    trace = record.trace(ref, **clocks)
    this = next((c for c in trace.claims if ref in (c.key, c.id) or c.id.startswith(ref.removeprefix("claim/"))), None)
    if this is None:
        raise InputError(f"no claim {ref!r} in this view")
    return Page("claim.html", f"Claim {this.key or this.id[:12]}", {"this": this, "trace": trace})


def _entity(record: Any, params: dict[str, str], clocks: dict[str, str | None]) -> Page:
    """A thing (an agreement, a transfer, a payment…): the claims for and against it."""
    trace = record.trace(params["ref"], **clocks)
    return Page("entity.html", trace.target, {"trace": trace})


_SIDE = re.compile(r"^(.*) \[([^;\]]*); (.*)\]$")


def _disagreements(record: Any, params: dict[str, str], clocks: dict[str, str | None]) -> Page:
    """Every disagreement, its sides side by side, each with its claims."""
    rows = []
    for row in record.query("contradictions", **clocks).rows():
        sides = []
        for side in str(row["sides"]).split(" | "):
            m = _SIDE.match(side)
            value, claims, sources = (m[1], m[2].split(", "), m[3]) if m else (side, [], "")
            sides.append({"value": value, "claims": claims, "sources": sources})
        rows.append({"subject": row["subject"], "property": row["property"], "kind": row["kind"], "sides": sides})
    return Page("disagreements.html", "Disagreements", {"rows": rows})


def _findings(record: Any, params: dict[str, str], clocks: dict[str, str | None]) -> Page:
    """What validate finds, by severity; with history=1, each with the event that introduced
    it and the one that resolved it (validate --over-time: it walks the whole log)."""
    from accords.graph.terms import short

    def named(term: Any) -> str:
        return "" if term is None else short(term.value) if isinstance(term, ox.NamedNode) else str(term)

    def event(point: tuple[int, str | None] | None) -> dict[str, Any] | None:
        return None if point is None else {"seq": point[0], "key": point[1]}

    history = params.get("history") == "1"
    if history:
        found = [
            (span.result, event(span.introduced), event(span.resolved)) for span in record.validate_over_time(**clocks)
        ]
    else:
        found = [(r, None, None) for r in record.validate(**clocks)[0]]
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    rows = [
        {
            "severity": r.severity,
            "shape": str(r.shape).rsplit("#", 1)[-1],
            "focus": named(r.focus),
            "path": named(r.path),
            "message": r.message,
            "introduced": introduced,
            "resolved": resolved,
        }
        for r, introduced, resolved in sorted(
            found,
            key=lambda f: (order.get(f[0].severity, 3), str(f[0].shape), str(f[0].focus), f[1]["seq"] if f[1] else 0),
        )
    ]
    return Page("findings.html", "Validation findings", {"rows": rows, "history": history})


_LOG_PAGE = 200  # events a page of the log shows


def _log(record: Any, params: dict[str, str], clocks: dict[str, str | None]) -> Page:
    """The log, newest first, a page at a time, with whether the whole chain verifies and
    who signed each event."""
    from accords.events.listing import summary

    head = record.recorder.head().seq
    upto = int(params["to"]) if params.get("to", "").isdigit() else head
    events = list(record.events(from_seq=max(1, upto - _LOG_PAGE + 1), to_seq=upto))[::-1]
    verified = record.verify(processes=1)  # a worker is a daemon: it starts no processes of its own
    ledger = record.ledger()
    rows = [
        {
            "seq": e.seq,
            "type": e.type,
            "key": e.key,
            "id": e.id,
            "summary": summary(e),
            "at": e.recorded_at,
            "by": e.recorded_by,
            "signed": ledger.signer(e.seq, record.recorder),
        }
        for e in events
    ]
    older = upto - _LOG_PAGE if upto > _LOG_PAGE else None
    return Page("log.html", "The log", {"rows": rows, "verified": verified, "older": older})
