"""Named queries: .rq (SPARQL) and .cypher files with a documented header, and their parameters.

A header is comment lines at the top of the file::

    # title: Agreements of a state
    # description: Every agreement a state is a party to, with its status and sources.
    # param state: iri = state/RW -- the state, by code

Parameter types: iri (relative to https://w3id.org/accords/id/), string, date, integer.
Values are bound by the engine, never pasted into the query text.

Every .rq has a .cypher twin that returns the same rows from the property graph, at any
point of the three clocks (tests/neo4j_projection holds them equal): the SPARQL form
places claims with acc:inView / acc:believed / acc:statusAt, the Cypher form with the
bound $as_of, $known_by and $valid_at (accords cypher --help). agreement-trace is
Cypher only: it walks a node's ``claims`` list, which the RDF form answers with
accords trace.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import pyoxigraph as ox

from accords.errors import InputError
from accords.graph.terms import ID, XSD, Term
from accords.ontology.states import entity_ref

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
        raise InputError(f"{query.name} has no parameter {unknown[0]!r}",
                         f"parameters: {', '.join(known) or 'none'}")  # fmt: skip
    values = {p.name: p.default for p in query.params if p.default is not None}
    values.update(given)
    return values
