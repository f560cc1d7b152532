"""A claim's statement: compact JSON-LD in the accords context, checked before it is hashed.

The check is the statement shapes (ontology/shapes.ttl), compiled once to Python by
ontology.shapecheck and run over the statement's triples; then the worded numbers and
EDTF dates the projection will read into bounds must be readable.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

import pyoxigraph as ox

from accords.events.errors import InputError
from accords.events import dates
from accords.events.model import Statement
from accords.events.schema import check_depth
from accords.ontology.expansion import Term, Triple, compiled, expand
from accords.ontology.quantities import Amount, parse_amount, parse_quantity, quantity_properties
from accords.ontology.shapecheck import Result, check_triples
from accords.ontology.states import normalize_state_refs
from accords.ontology.vocabulary import ID_BASE, bounded_properties, id_folders

BLANK = "urn:accords:statement"
"""The IRI an unnamed statement node gets while it is checked (a blank node for the shapes)."""

_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def normalize_statement(value: Any) -> Statement:
    """The statement as it will be stored, or InputError saying what is wrong.

    One object states one fact; a list of objects is one quote stating several (a tally of
    seven states is seven facts), each checked as a statement of its own and stored together.
    """
    check_depth(value, "the statement")
    if isinstance(value, list):
        if not value:
            raise InputError("an empty list states nothing", "give one statement object, or a list of them")
        nodes = []
        for n, item in enumerate(value, 1):
            try:
                node = _normalize_node(item)
                check_statement(node)
            except InputError as e:
                raise InputError(f"[{n}] {e.message}", e.hint) from None
            nodes.append(node)
        return nodes
    statement = _normalize_node(value)
    check_statement(statement)
    return statement


def _normalize_node(value: Any) -> dict[str, Any]:
    """One statement node with its state references and dates as stored, unchecked otherwise."""
    if not isinstance(value, dict):
        raise InputError(f"expected a JSON object, got {type(value).__name__}")
    if "@context" in value:
        raise InputError(
            "@context is not allowed: statements are read in the accords context",
            "remove @context; no JSON-LD context is ever fetched over the network",
        )
    kind = value.get("@type")
    if not isinstance(kind, str) or not kind:
        raise InputError('needs an "@type", such as "Agreement" or "Transfer"')
    # "state/Rwanda" and "state/rw" are stored as "state/RW", "5 August 2025" as
    # "2025-08-05", as in a body's dates: the log holds what it means.
    return _human_dates(normalize_state_refs(value), "the statement")


def _human_dates(node: dict[str, Any], name: str) -> dict[str, Any]:
    """node with the dates a person wrote ("5 August 2025") in EDTF, nested nodes too, each
    node's keys and identifier checked; InputError for a date that cannot be read or could
    be read two ways, a JSON-LD keyword, a property by its vocabulary name ("party" for
    "parties"), an identifier in another type's folder."""
    terms, dated, misnamed = compiled().terms, _bounded()[1], _misnamed()
    _check_identifier(node)
    if isinstance(node.get("@id"), str):
        name = node["@id"]
    out = {}
    for key, value in node.items():
        if key.startswith("@") and key not in ("@id", "@type"):
            raise InputError(
                f'{name}, "{key}": a JSON-LD keyword a statement does not take',
                'a node takes "@id", "@type" and the keys `accords statements` lists, each as plain JSON',
            )
        if key in misnamed:  # read as it is, it would be text where a reference is meant
            raise InputError(
                f'{name}: no key "{key}": write "{misnamed[key]}"',
                f"accords statements {node.get('@type')} lists its keys",
            )
        term = terms.get(key)
        if isinstance(value, dict):
            value = _human_dates(value, "a nested node")
        elif isinstance(value, list):
            value = [_human_dates(v, "a nested node") if isinstance(v, dict) else v for v in value]
        elif isinstance(value, str) and term is not None and term.iri in dated:
            try:
                value = dates.weekday(value) or dates.normalize(value)
            except InputError as e:
                hint = e.hint and e.hint + ', or the day of the week a page with no date gives ("Thursday")'
                raise InputError(f'{name}, "{key}": {e.message}', hint) from None
        out[key] = value
    return out


def _check_identifier(node: dict[str, Any]) -> None:
    """A node's @id names its @type's folder (acc:idFolder): a stance or an agreement cannot
    take a state's identifier, and a node of a class with no folder takes no @id."""
    given, kind = node.get("@id"), node.get("@type")
    if not isinstance(given, str) or not isinstance(kind, str) or "/" not in given or ":" in given.split("/")[0]:
        return  # not an identifier, a full IRI or a prefixed name, or unnamed: the IRI rule and shapes judge those
    folder = _folder(kind)
    if folder is None:
        return  # a type the vocabulary does not have: the shapes say so
    if not folder:
        raise InputError(
            f'{given}: @type {kind} takes no "@id"',
            "its claim frames it: leave the @id out, and name what it is on or of",
        )
    if given.split("/", 1)[0] != folder:
        raise InputError(
            f'{given}: @type {kind} takes an "@id" in "{folder}/"', f'such as "{folder}/{given.split("/", 1)[-1]}"'
        )


@lru_cache(maxsize=1024)
def _folder(kind: str) -> str | None:
    """The folder of the identifiers of @type kind ("" for none), None for a type the vocabulary does not have."""
    return id_folders().get(compiled().expand(kind))


@cache
def _misnamed() -> dict[str, str]:
    """Each vocabulary name a key could be mistaken for ("party"), to the key ("parties"):
    not a key, the context's @vocab would read it, as text."""
    ctx = compiled()
    return {
        iri.removeprefix(ctx.vocab): key
        for iri, key in _keys().items()
        if iri.startswith(ctx.vocab) and iri.removeprefix(ctx.vocab) not in ctx.terms
    }


def check_statement(statement: Statement) -> None:
    """InputError naming the node, the property and what was expected, unless it conforms."""
    try:
        triples = expand(statement, BLANK)
    except (TypeError, ValueError, AttributeError) as e:
        raise InputError(f"cannot be read as JSON-LD: {e}", "accords statements lists the keys of each @type") from None
    results = check_triples(triples, BLANK)
    if results:
        more = f"; and {len(results) - _SHOWN} more" if len(results) > _SHOWN else ""
        raise InputError(
            "; ".join(describe(r) for r in results[:_SHOWN]) + more,
            "accords statements TYPE lists the keys a statement of that @type takes",
        )
    _check_readable(triples)
    _check_parts(triples)


_SHOWN = 5  # results named in one message: a statement is a few keys, each wrong one counts


@cache
def _keys() -> dict[str, str]:
    """Each property IRI of the accords context, to the key a statement writes it with."""
    return {term.iri: key for key, term in compiled().terms.items()}


def _key(predicate: ox.NamedNode) -> str:
    return _keys().get(predicate.value) or predicate.value.removeprefix(compiled().vocab)


def _node(term: Term | None) -> str:
    if isinstance(term, ox.NamedNode):
        if term.value == BLANK or term.value.startswith(BLANK + "-"):
            return "the statement" if term.value == BLANK else "a nested node"
        return term.value.removeprefix(ID_BASE).removeprefix(compiled().vocab)
    if isinstance(term, ox.Literal):
        return repr(term.value)
    return str(term)


def describe(result: Result) -> str:
    """A result as one line: which node, what was expected (the shape's message), what was given."""
    if result.constraint == "Closed" and result.path is not None:
        got = f' (got "{_key(result.path)}")'  # the key that is not allowed, not its value
    elif result.value is None or result.value == result.focus or result.constraint == "MaxCount":
        got = ""
    else:
        got = f" (got {_node(result.value)})"
    return f"{_node(result.focus)}: {result.message}{got}"


@cache
def _bounded() -> tuple[dict[str, str], frozenset[str]]:
    """Quantity properties (IRI -> datatype) and EDTF date properties, read from the vocabulary."""
    quantities = {str(p): str(d) for p, (_lo, _hi, d) in quantity_properties().items()}
    return quantities, frozenset({str(p) for p in bounded_properties()} - set(quantities))


def _check_readable(triples: list[Triple]) -> None:
    """Worded numbers and EDTF dates the shapes pass as text but that cannot be read as bounds."""
    quantities, dated = _bounded()
    for subject, predicate, obj in triples:
        if not isinstance(obj, ox.Literal):
            continue
        kind = "date" if predicate.value in dated else quantities.get(predicate.value)
        if kind is None:
            continue
        error = _unreadable(kind, obj.value, obj.datatype.value == _XSD_INTEGER)
        if error is not None:
            raise InputError(f'{_node(subject)}, "{_key(predicate)}": {error[0]}', error[1])


@lru_cache(maxsize=65536)
def _unreadable(kind: str, text: str, integer: bool) -> tuple[str, str | None] | None:
    """Why text cannot be read as a date or quantity of this kind, or None (cached: values repeat)."""
    try:
        if kind == "date":
            if dates.weekday(text) is None:
                dates.bounds(text)
        elif kind.endswith("decimal"):
            parse_amount(text)
        else:
            parse_quantity(int(text) if integer else text)
    except InputError as e:
        return e.message, e.hint
    return None


_QUANTITY, _ROLE, _UNIT, _NUMBER = (compiled().terms[k].iri for k in ("quantities", "role", "unit", "number"))


def _check_parts(triples: list[Triple]) -> None:
    """InputError for a part stated larger than its whole: a subset above the total in its unit."""
    if not any(predicate.value == _QUANTITY for _, predicate, _ in triples):
        return
    nodes: dict[Term, dict[str, Term]] = {}
    counts: dict[Term, list[Term]] = {}
    for subject, predicate, obj in triples:
        nodes.setdefault(subject, {})[predicate.value] = obj
        if predicate.value == _QUANTITY:
            counts.setdefault(subject, []).append(obj)
    for parent, children in counts.items():
        quantities = [nodes.get(child, {}) for child in children]
        for part in (q for q in quantities if _role(q) == "subset"):
            for whole in (q for q in quantities if _role(q) == "total" and _unit(q) == _unit(part)):
                low, high = _number(part).low, _number(whole).high
                if low is not None and high is not None and low > high:
                    raise InputError(
                        f'{_node(parent)}, "quantities": a subset of {_number(part).text!r} is more '
                        f"than its total of {_number(whole).text!r}",
                        'a "subset" counts part of the "total" in the same unit: check both numbers',
                    )


def _role(quantity: dict[str, Term]) -> str | None:
    role = quantity.get(_ROLE)
    return role.value.removeprefix(compiled().vocab) if isinstance(role, ox.NamedNode) else None


def _unit(quantity: dict[str, Term]) -> str:
    unit = quantity.get(_UNIT)
    return unit.value if isinstance(unit, ox.Literal) else "people"


def _number(quantity: dict[str, Term]) -> Amount:
    number = quantity.get(_NUMBER)
    return parse_amount(number.value) if isinstance(number, ox.Literal) else Amount("", None, None)
