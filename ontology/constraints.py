"""The SHACL core constraint components (SHACL §4) as checks over ``Data``.

Each function takes a constraint's parameter from a shapes graph and returns a ``Check``:
given the data, a focus node and its value nodes, the values that fail (or None for the
focus itself) with the component's name. ontology.shapecheck compiles shapes into them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Protocol

import pyoxigraph as ox

from accords.ontology.expansion import Term

XSD = "http://www.w3.org/2001/XMLSchema#"


class Data(Protocol):
    """What the core constraints read: values of a property, types, and whole nodes."""

    def values(self, node: Term, path: ox.NamedNode) -> list[Term]: ...
    def outgoing(self, node: Term) -> list[tuple[ox.NamedNode, Term]]: ...
    def predicates(self, node: Term) -> Iterable[ox.NamedNode]: ...
    def instances(self, cls: ox.NamedNode) -> set[Term]: ...
    def subjects_of(self, predicate: ox.NamedNode) -> set[Term]: ...
    def objects_of(self, predicate: ox.NamedNode) -> set[Term]: ...
    def is_instance(self, node: Term, cls: ox.NamedNode) -> bool: ...
    def is_blank(self, node: Term) -> bool: ...


Check = Callable[[Data, Term, list[Term]], list[tuple[Term | None, str]]]
"""A constraint: (data, focus, value nodes) -> failing (value or None, component name)."""

Conforms = Callable[[Data, Term], bool]
"""A shape's test of one node (for sh:or)."""


# -- literals ---------------------------------------------------------------------------

_LEXICAL: dict[str, re.Pattern[str]] = {
    "boolean": re.compile(r"^(true|false|1|0)$"),
    "integer": re.compile(r"^[+-]?\d+$"),
    "decimal": re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$"),
    "double": re.compile(r"^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|[+-]?INF|NaN)$"),
    "duration": re.compile(r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"),
    "date": re.compile(r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$"),
}


def well_formed(literal: ox.Literal) -> bool:
    kind = literal.datatype.value.removeprefix(XSD)
    pattern = _LEXICAL.get(kind)
    if pattern is None or not pattern.match(literal.value):
        return pattern is None
    if kind == "date":
        try:
            dt.date.fromisoformat(literal.value[:10])
        except ValueError:
            return False
    return True


_NUMERIC = {
    XSD + n for n in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger", "positiveInteger")
}


def number(term: Term) -> Decimal | dt.date | None:
    if not isinstance(term, ox.Literal) or not well_formed(term):
        return None
    if term.datatype.value in _NUMERIC:
        try:
            return Decimal(term.value)
        except InvalidOperation:
            return None
    if term.datatype.value == XSD + "date":
        return dt.date.fromisoformat(term.value[:10])
    return None


def lexical(term: Term) -> str:
    return term.value if isinstance(term, (ox.Literal, ox.NamedNode)) else str(term)


# -- components -------------------------------------------------------------------------


def min_count(n: int) -> Check:
    return lambda data, focus, values: [(None, "MinCount")] if len(values) < n else []


def max_count(n: int) -> Check:
    return lambda data, focus, values: [(None, "MaxCount")] if len(values) > n else []


def _kept(test: Callable[[Term], bool]) -> Callable[[Term], bool]:
    """test, its verdicts kept (up to a bound): it reads the value alone, and a record names
    the same states, terms, dates and amounts again and again."""
    verdicts: dict[Term, bool] = {}

    def kept(v: Term) -> bool:
        ok = verdicts.get(v)
        if ok is None:
            if len(verdicts) >= _KEPT:
                verdicts.clear()
            ok = verdicts[v] = test(v)
        return ok

    return kept


_KEPT = 65536


def datatype(datatype: str) -> Check:
    ok = _kept(lambda v: isinstance(v, ox.Literal) and v.datatype.value == datatype and well_formed(v))
    return lambda data, focus, values: [(v, "Datatype") for v in values if not ok(v)]


def pattern(regex: re.Pattern[str]) -> Check:
    matches = _kept(lambda v: regex.search(lexical(v)) is not None)
    return lambda data, focus, values: [(v, "Pattern") for v in values if data.is_blank(v) or not matches(v)]


def node_kind(kind: str) -> Check:
    def kind_of(data: Data, v: Term) -> str:
        if isinstance(v, ox.Literal):
            return "Literal"
        return "BlankNode" if data.is_blank(v) else "IRI"

    def check(data: Data, focus: Term, values: list[Term]) -> list[tuple[Term | None, str]]:
        return [(v, "NodeKind") for v in values if kind_of(data, v) not in kind]

    return check


def in_(allowed: frozenset[Term]) -> Check:
    return lambda data, focus, values: [(v, "In") for v in values if v not in allowed]


def min_inclusive(bound: Decimal | dt.date) -> Check:
    def test(v: Term) -> bool:
        n = number(v)
        return n is not None and type(n) is type(bound) and not n < bound  # type: ignore[operator]

    ok = _kept(test)
    return lambda data, focus, values: [(v, "MinInclusive") for v in values if not ok(v)]


def disjoint(other: ox.NamedNode) -> Check:
    def check(data: Data, focus: Term, values: list[Term]) -> list[tuple[Term | None, str]]:
        others = data.values(focus, other)
        return [(v, "Disjoint") for v in values if v in others]

    return check


def class_(cls: ox.NamedNode) -> Check:
    return lambda data, focus, values: [(v, "Class") for v in values if not data.is_instance(v, cls)]


def or_(members: Sequence[Conforms]) -> Check:
    # A literal is the subject of nothing: whether it conforms depends on it alone, so the
    # verdicts on literals are kept, as _kept does.
    verdicts: dict[Term, bool] = {}

    def check(data: Data, focus: Term, values: list[Term]) -> list[tuple[Term | None, str]]:
        failed: list[tuple[Term | None, str]] = []
        for v in values:
            ok = verdicts.get(v)
            if ok is None:
                ok = any(conforms(data, v) for conforms in members)
                if isinstance(v, ox.Literal):
                    if len(verdicts) >= _KEPT:
                        verdicts.clear()
                    verdicts[v] = ok
            if not ok:
                failed.append((v, "Or"))
        return failed

    return check
