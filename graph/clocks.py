"""The three clocks inside SPARQL: functions that place claims in a view of the live graph.

Named queries ask the live projection for any point of the clocks by filtering every
claim they touch through these functions, instead of folding the log afresh:

- ``acc:inView(?x)``: the event (claim, source, retraction…) is recorded by the view's
  seq, and a claim also passes the publication and valid-time clocks;
- ``acc:believed(?claim)``: in view, affirmed, and not retracted or corrected by then;
- ``acc:statusAt(?claim)``: acc:active, acc:retracted or acc:corrected as of the view.

These are exactly the rules of graph.fold applied to a prefix of the log, and a test
holds every named query at ``--as-of N`` equal to a store holding events 1..N.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache

import pyoxigraph as ox

from accords.graph.projection import View
from accords.graph.terms import ACC, PROVENANCE, TYPE, Term, acc, prov

TRUE = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
FALSE = ox.Literal("false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
_SEQ, _CLAIM = acc("seq"), acc("Claim")


class Clocks:
    """The view's rules over one store's provenance graph, with per-query memory."""

    def __init__(self, store: ox.Store, at: View) -> None:
        self.store = store
        self.at = at

    def _value(self, node: Term, predicate: ox.NamedNode) -> Term | None:
        for quad in self.store.quads_for_pattern(node, predicate, None, PROVENANCE):  # type: ignore[arg-type]
            if not isinstance(quad.object, ox.Triple):
                return quad.object
        return None

    def _seq(self, node: Term) -> int | None:
        value = self._value(node, _SEQ)
        return int(value.value) if isinstance(value, ox.Literal) else None

    def _date(self, node: Term, name: str) -> dt.date | None:
        value = self._value(node, acc(name))
        return dt.date.fromisoformat(value.value) if isinstance(value, ox.Literal) else None

    def in_view(self, node: Term) -> bool:
        if not isinstance(node, ox.NamedNode):
            return False
        seq = self._seq(node)
        if seq is None or (self.at.as_of is not None and seq > self.at.as_of):
            return False
        if ox.Quad(node, TYPE, _CLAIM, PROVENANCE) not in self.store:
            return True
        if self.at.known_by is not None:
            latest = self._date(node, "publishedLatest")
            if latest is None or latest > self.at.known_by:
                return False
        if self.at.valid_at is not None:
            start, end = self._date(node, "validFrom"), self._date(node, "validUntil")
            if (start and start > self.at.valid_at) or (end and end < self.at.valid_at):
                return False
        return True

    def status(self, claim: Term) -> ox.NamedNode | None:
        """The claim's status as of the view: the latest invalidation by then decides."""
        if not self.in_view(claim):
            return None
        latest, status = 0, acc("active")
        for quad in self.store.quads_for_pattern(claim, prov("wasInvalidatedBy"), None, PROVENANCE):  # type: ignore[arg-type]
            event = quad.object
            seq = self._seq(event) if isinstance(event, ox.NamedNode) else None
            if seq is None or (self.at.as_of is not None and seq > self.at.as_of) or seq < latest:
                continue
            latest = seq
            corrected = ox.Quad(event, TYPE, acc("Correction"), PROVENANCE) in self.store  # type: ignore[arg-type]
            status = acc("corrected" if corrected else "retracted")
        return status

    def believed(self, claim: Term) -> bool:
        return (
            self.status(claim) == acc("active")
            and ox.Quad(claim, acc("polarity"), acc("affirmed"), PROVENANCE) in self.store  # type: ignore[arg-type]
        )

    def functions(self) -> dict[ox.NamedNode, Callable[..., Term | ox.Triple | None]]:
        """The custom SPARQL functions of this view, memoised for one query."""
        in_view, believed, status = cache(self.in_view), cache(self.believed), cache(self.status)
        return {
            ox.NamedNode(ACC + "inView"): lambda x: TRUE if in_view(x) else FALSE,
            ox.NamedNode(ACC + "believed"): lambda x: TRUE if believed(x) else FALSE,
            ox.NamedNode(ACC + "statusAt"): status,
        }
