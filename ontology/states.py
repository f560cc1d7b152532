"""Resolve what a person writes for a state ("U.S.", "Rwanda", "RWA") to its ISO code."""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import defaultdict
from functools import cache, lru_cache
from importlib.resources import files
from typing import Any

import pycountry
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from accords.events.errors import InputError
from accords.ontology.vocabulary import ID_BASE

_STATE_PREFIX = "state/"
_STATE_IRI = ID_BASE + _STATE_PREFIX
_CODE = re.compile(r"^[A-Z]{2}$")
_DASHES = re.compile(r"[-\u2010\u2011\u2012\u2013\u2014]")
# pycountry record fields that countries.lookup() matches on.
_FIELDS = ("alpha_2", "alpha_3", "numeric", "name", "official_name", "common_name")


class UnknownStateError(InputError, LookupError):
    """No state answers to this name or code."""


class AmbiguousStateError(InputError, LookupError):
    """More than one state answers to this name."""


def _key(text: str) -> str:
    """The form names are matched in: no case, accents, dots, hyphens or leading "the"."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    plain = plain.replace("\u2019", "'").replace("\u2018", "'").replace(".", "")
    plain = " ".join(_DASHES.sub(" ", plain).split())
    return plain.removeprefix("the ")


@cache
def _data() -> Graph:
    graph = Graph()
    graph.parse(data=files("accords.ontology").joinpath("states.ttl").read_text("utf-8"), format="turtle")
    return graph


def _code_of(subject: Any) -> str | None:
    text = str(subject)
    if isinstance(subject, URIRef) and text.startswith(_STATE_IRI):
        return text.removeprefix(_STATE_IRI)
    return None


@cache
def _index() -> dict[str, frozenset[str]]:
    """Every accepted spelling (as a key) mapped to the codes it could mean."""
    found: defaultdict[str, set[str]] = defaultdict(set)
    for country in pycountry.countries:
        for field in _FIELDS:
            value = getattr(country, field, None)
            if isinstance(value, str) and value:
                found[_key(value)].add(country.alpha_2)
    for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, SKOS.notation):
        for subject, label in _data().subject_objects(predicate):
            code = _code_of(subject)
            if code is not None and isinstance(label, Literal):
                found[_key(str(label))].add(code)
    for code in _extra_codes():
        found[_key(code)].add(code)
    return {key: frozenset(codes) for key, codes in found.items()}


@cache
def _extra_codes() -> frozenset[str]:
    """Codes our data adds beyond ISO 3166-1 (Kosovo)."""
    codes = {_code_of(s) for s in _data().subjects(SKOS.notation, None)}
    return frozenset(c for c in codes if c and pycountry.countries.get(alpha_2=c) is None)


def _label(code: str) -> str:
    preferred = _data().value(URIRef(_STATE_IRI + code), SKOS.prefLabel)
    if preferred is not None:
        return str(preferred)
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        raise UnknownStateError(f"no state has the code {code!r}", "use an ISO 3166-1 alpha-2 code such as RW")
    return str(getattr(country, "common_name", None) or country.name)


@lru_cache(maxsize=4096)
def resolve_state(text: str) -> str:
    """The ISO 3166-1 alpha-2 code (Kosovo: XK) for a code, name or common alias."""
    codes = _index().get(_key(text))
    if not codes:
        close = difflib.get_close_matches(_key(text), list(_index()), n=3, cutoff=0.75)
        hints = sorted({f"{_label(code)} ({code})" for key in close for code in _index()[key]})
        hint = f"did you mean: {', '.join(hints)}?" if hints else "use a country name or an ISO 3166-1 code such as RW"
        raise UnknownStateError(f"unknown state {text!r}", hint)
    if len(codes) > 1:
        options = ", ".join(f"{_label(code)} ({code})" for code in sorted(codes))
        raise AmbiguousStateError(f"{text!r} could mean more than one state: {options}", "write the code instead")
    (code,) = codes
    return code


def state_name(code: str) -> str:
    """The name to show for a state code ("RW" -> "Rwanda", "XK" -> "Kosovo")."""
    if not _CODE.match(code):
        raise UnknownStateError(f"{code!r} is not a two-letter state code", "use a code such as RW, or resolve_state()")
    return _label(code)


def state_iri(code: str) -> URIRef:
    """The IRI of a state given by code or name: .../id/state/RW."""
    return URIRef(_STATE_IRI + resolve_state(code))


@lru_cache(maxsize=4096)
def state_ref(reference: str) -> str:
    """A state reference with its code made canonical: "state/rwanda" -> "state/RW"."""
    for prefix in (_STATE_IRI, _STATE_PREFIX):
        if reference.startswith(prefix):
            return _STATE_PREFIX + resolve_state(reference.removeprefix(prefix))
    raise InputError(f"{reference!r} is not a state reference", 'write "state/" and a code or name, e.g. "state/RW"')


def entity_ref(text: str) -> str:
    """An entity as users name it, a state's code made canonical ("state/Peru" -> "state/PE");
    other entities as given. UnknownStateError for a state no code or name answers to."""
    return state_ref(text) if text.startswith((_STATE_PREFIX, _STATE_IRI)) else text


def _normalize_value(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_STATE_PREFIX):
        return state_ref(value)
    if isinstance(value, list):
        return [_normalize_value(item) for item in value]
    if isinstance(value, dict):
        return normalize_state_refs(value)
    return value


def normalize_state_refs(statement: dict[str, Any]) -> dict[str, Any]:
    """A copy of a statement whose "state/..." references all carry canonical codes, nested nodes too."""
    # Values starting "state/" are references ("@id" or a reference key); text never is.
    return {key: value if key == "@type" else _normalize_value(value) for key, value in statement.items()}


def state_labels() -> str:
    """Every state as N-Triples: its class and its name, for the projection's vocabulary graph."""
    codes = sorted({c.alpha_2 for c in pycountry.countries} | _extra_codes())
    state_class = "<https://w3id.org/accords/ns#State>"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    kind = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    lines = []
    for code in codes:
        iri = f"<{_STATE_IRI}{code}>"
        # JSON string escapes are valid N-Triples string escapes
        lines.append(f"{iri} {kind} {state_class} .\n{iri} {label} {json.dumps(_label(code))} .\n")
    return "".join(lines)
