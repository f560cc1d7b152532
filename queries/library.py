"""Named queries: .rq (SPARQL) and .cypher files with a documented header, and their parameters.

A header is comment lines at the top of the file::

    # title: Agreements of a state
    # description: Every agreement a state is a party to, with its status and sources.
    # param state: iri = state/RW -- the state, by code

Parameter types: iri (relative to https://w3id.org/accords/id/), string, date, integer.
Values are bound as RDF terms (see prepared()), never pasted into the query text.

Every .rq is standard SPARQL 1.1: it declares its prefixes and calls no function of
accords' own, so any SPARQL store holding an export runs it. It places claims on the three
clocks with the variables ?as_of (a seq), ?known_by and ?valid_at (dates), given by one line
at the top of its WHERE clause::

    VALUES (?as_of ?known_by ?valid_at) { (UNDEF UNDEF UNDEF) }

Unbound, a clock sets no limit: over the export of a view (``accords export --as-of N``),
the query answers for that view as shipped. ``accords query --as-of N`` runs it on the live
projection with the clock values written into that line, and the parameters bound by
VALUES clauses after it (prepared()). A sub-select or a MINUS does not see the variables
of the query around it: one that places claims on the clocks has a clock line of its own,
which accords fills in too; parameters are used only at the top level.
A claim is in view when recorded by ?as_of (acc:seq), published by ?known_by
(acc:publishedLatest) and valid at ?valid_at (acc:validFrom, acc:validUntil), and believed
when also affirmed and not invalidated by ?as_of (acc:invalidatedSeq).

Every .rq has a .cypher twin that returns the same rows from the property graph, at any
point of the three clocks (tests/neo4j_projection holds them equal), with the bound
$as_of, $known_by and $valid_at (accords cypher --help); contradictions' twin reads the
judgement's rows that accords project neo4j writes, at the graph's head, and refuses the
clocks. agreement-trace is Cypher only:
it walks a node's ``claims`` list, which the RDF form answers with accords trace.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from accords.events.errors import InputError
from accords.graph.terms import ID, XSD, Term
from accords.ontology.states import entity_ref

if TYPE_CHECKING:
    from accords.graph.projection import View

CLOCKS = "VALUES (?as_of ?known_by ?valid_at) { (UNDEF UNDEF UNDEF) }"
_PARAM = re.compile(r"^(\w+):\s*(iri|string|date|integer)\s*(?:=\s*(.*?))?\s*(?:--\s*(.*))?$")


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    sparql: str | None
    cypher: str | None


def _header(text: str, where: str) -> tuple[str, str, tuple[Param, ...]]:
    title = description = ""
    params = []
    for line in text.splitlines():
        if not line.startswith(("#", "//")):
            break
        body = line.lstrip("#/ ").rstrip()
        field, _, value = body.partition(":")
        if field == "title":
            title = value.strip()
        elif field == "description":
            description = value.strip()
        elif field.startswith("param "):
            m = _PARAM.match(body.removeprefix("param ").strip())
            if not m:
                raise InputError(f"{where}: bad param line {line!r}", "# param NAME: TYPE = DEFAULT -- text")
            params.append(Param(m[1], m[2], m[3], m[4] or ""))
    if not title:
        raise InputError(f"{where}: the header needs a '# title:' line")
    return title, description, tuple(params)


@cache
def library() -> dict[str, NamedQuery]:
    """Every named query shipped in accords.queries, by name."""
    folder = files("accords.queries")
    texts: dict[str, dict[str, str]] = {}
    for entry in folder.iterdir():
        name, _, ext = entry.name.rpartition(".")
        if ext in ("rq", "cypher"):
            texts.setdefault(name, {})[ext] = entry.read_text("utf-8")
    found = {}
    for name, forms in sorted(texts.items()):
        first = forms.get("rq") or forms["cypher"]
        title, description, params = _header(first, f"queries/{name}")
        sparql = forms.get("rq")
        if sparql and sparql[: sparql.find(CLOCKS)].count("{") != 1:
            raise InputError(f"queries/{name}.rq needs the line {CLOCKS!r} first in its WHERE")
        found[name] = NamedQuery(name, title, description, params, forms.get("rq"), forms.get("cypher"))
    return found


def get(name: str) -> NamedQuery:
    try:
        return library()[name]
    except KeyError:
        raise InputError(f"no named query {name!r}", "list them with: accords query --list") from None


def sparql_value(param: Param, text: str) -> Term:
    """A parameter value as an RDF term of the declared type; InputError if it is not one."""
    if param.type == "iri":
        if "/" not in text and (param.default or "").startswith("state/"):
            text = "state/" + text  # a state parameter given a code or a name: "PE", "Peru"
        try:
            text = entity_ref(text)
        except InputError as e:
            raise InputError(f"--param {param.name}: {e.message}", e.hint) from None
        if any(c in text for c in '<>" {}|\\^`\n'):
            raise InputError(f"--param {param.name}: {text!r} is not an entity id such as state/RW")
        return ox.NamedNode(text if "://" in text else ID + text)
    if param.type == "date":
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(f"--param {param.name}: {text!r} is not a date (YYYY-MM-DD)") from None
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
    if param.type == "integer":
        if not re.fullmatch(r"-?\d+", text):
            raise InputError(f"--param {param.name}: {text!r} is not an integer")
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "integer"))
    return ox.Literal(text)


def bind(query: NamedQuery, given: dict[str, str]) -> dict[str, str]:
    """The parameter values to use: given ones, else defaults; unknown names refused."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise InputError(f"{query.name} has no parameter {unknown[0]!r}", f"parameters: {', '.join(known) or 'none'}")
    values = {p.name: p.default for p in query.params if p.default is not None}
    values.update(given)
    return values


def prepared(query: NamedQuery, at: View, bindings: Mapping[str, Term]) -> str:
    """The query's SPARQL as accords runs it: the view's clocks written into its clock lines,
    and each parameter bound by a VALUES clause after the first (the query's own), the value written as an RDF term
    (an IRI checked by sparql_value, or a literal escaped as N-Triples escapes it), so no
    value can change what the query says. (Oxigraph's own substitutions bind a variable
    only once the pattern is evaluated: 50 times slower on agreements-by-state.)"""
    line = clock_line(at)
    text = with_clocks(str(query.sparql), at)
    values = "".join(f"\n  VALUES ?{name} {{ {term} }}" for name, term in bindings.items())
    return text.replace(line, line + values, 1)


def clock_line(at: View) -> str:
    """The clock line with the view's clocks written in (UNDEF for a clock it leaves open)."""
    date = "<http://www.w3.org/2001/XMLSchema#date>"
    clocks = (
        "UNDEF" if at.as_of is None else str(at.as_of),
        "UNDEF" if at.known_by is None else f'"{at.known_by.isoformat()}"^^{date}',
        "UNDEF" if at.valid_at is None else f'"{at.valid_at.isoformat()}"^^{date}',
    )
    return CLOCKS.replace("UNDEF UNDEF UNDEF", " ".join(clocks))


def with_clocks(text: str, at: View) -> str:
    """A query's text with the view's clocks written into each of its clock lines."""
    return text.replace(CLOCKS, clock_line(at))
