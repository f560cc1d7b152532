"""A claim's statement as RDF, with the derived bounds and frames the projection compares.

The expansion itself (JSON-LD context compiled to a fast, local expansion) lives in
ontology.expansion, shared with the append-time shape check. Here the derived bounds of
worded numbers and EDTF dates (acc:peopleMin, acc:dateEarliest…) are added, as the
vocabulary names them (acc:lowerBoundProperty).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from accords.events.dates import bounds as date_bounds, weekday
from accords.graph.terms import FRAMES, TYPE, XSD, acc, short
from accords.ontology.expansion import Triple, entity_iri, expand
from accords.ontology.quantities import parse_amount, parse_quantity, quantity_properties
from accords.ontology.vocabulary import bounded_properties, framing_properties

__all__ = ["FRAME", "Triple", "entity_iri", "frames", "statement_triples"]

FRAME = acc("frame")


def statement_triples(statement: dict[str, Any], blank: str) -> list[Triple]:
    """The triples of a statement and their bounds. A node without @id gets the IRI blank (+ -n for nested)."""
    out = expand(statement, blank)
    return out + list(_bounds(out))


def frames(triples: list[Triple], blank: str) -> list[Triple]:
    """acc:frame of every node of a statement, for its claim's graph (frames compare
    claims; they are no belief): a node with @id is its own frame; one without is framed
    by its type, the things it links to and from (not by a judged property) and its
    identifying words, so that the same stance or count in two claims has one frame
    (frame/Stance;state=state%2FUG;toward=state%2FUS). A node linked from a node without
    @id names that node by its frame."""
    judged, identifying = framing_properties()
    parts: dict[ox.NamedNode, list[str]] = {}
    parents: list[tuple[ox.NamedNode, str, ox.NamedNode]] = []
    for s, p, o in triples:
        parts.setdefault(s, [])
        if p.value in judged:
            continue
        if isinstance(o, ox.Literal):
            if s.value.startswith(blank) and p.value in identifying:
                parts[s].append(f"{short(p.value)}={quote(o.value, safe='')}")
        elif p == TYPE:
            parts[s].insert(0, short(o.value))
        elif not o.value.startswith(blank):
            if s.value.startswith(blank):
                parts[s].append(f"{short(p.value)}={quote(short(o.value), safe='')}")
        elif isinstance(o, ox.NamedNode):
            parents.append((o, short(p.value), s))
    frames: dict[ox.NamedNode, ox.NamedNode] = {}

    def frame(node: ox.NamedNode) -> ox.NamedNode:
        if node not in frames:
            if not node.value.startswith(blank):
                frames[node] = node
            else:
                words = parts.get(node, [])
                for child, p, parent in parents:
                    if child == node:
                        words.append(f"{p}-of={quote(short(frame(parent).value), safe='')}")
                kinds = [w for w in words if "=" not in w]
                frames[node] = ox.NamedNode(FRAMES + ";".join(kinds + sorted(w for w in words if "=" in w)))
        return frames[node]

    return [(node, FRAME, frame(node)) for node in parts]


@cache
def _bound_table() -> dict[str, tuple[ox.NamedNode, ox.NamedNode, str]]:
    """property IRI -> (lower, upper, kind): kind is "date", "count" or "amount"."""
    quantities = {str(p): str(d) for p, (_lo, _hi, d) in quantity_properties().items()}
    table = {}
    for prop, (low, high) in bounded_properties().items():
        datatype = quantities.get(str(prop))
        kind = "date" if datatype is None else "amount" if datatype.endswith("decimal") else "count"
        table[str(prop)] = (ox.NamedNode(str(low)), ox.NamedNode(str(high)), kind)
    return table


def _bounds(triples: list[Triple]) -> Iterator[Triple]:
    table = _bound_table()
    for subject, predicate, obj in triples:
        entry = table.get(predicate.value)
        if entry is None or not isinstance(obj, ox.Literal):
            continue
        low_p, high_p, kind = entry
        if kind == "date":
            if weekday(obj.value):
                continue  # a day of the week has no bounds: the judgement reads the word
            b = date_bounds(obj.value)
            datatype = ox.NamedNode(XSD + "date")
            low = b.earliest.isoformat() if b.earliest else None
            high = b.latest.isoformat() if b.latest else None
        else:
            q = (
                parse_amount(obj.value)
                if kind == "amount"
                else parse_quantity(int(obj.value) if obj.datatype.value == XSD + "integer" else obj.value)
            )
            datatype = ox.NamedNode(XSD + ("decimal" if kind == "amount" else "integer"))
            low = None if q.low is None else str(q.low)
            high = None if q.high is None else str(q.high)
        if low is not None:
            yield subject, low_p, ox.Literal(low, datatype=datatype)
        if high is not None:
            yield subject, high_p, ox.Literal(high, datatype=datatype)
