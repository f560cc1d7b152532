"""What trace says of a claim's source beside the claim: the flags of its latest assessment
(SourceAssessed), whether it rests only on flagged sources, and its captures (SourceCaptured)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from accords.graph.sparql import solutions
from accords.graph.terms import short

# A source's latest assessment (SourceAssessed): its flags, who made it and why.
ASSESSED = """
SELECT ?source ?flag ?assessor ?note WHERE { GRAPH graph:provenance {
  ?assessment acc:assesses ?source ; acc:seq ?seq ; acc:assessor/rdfs:label ?assessor .
  OPTIONAL { ?assessment acc:flag ?flag }
  OPTIONAL { ?assessment schema:comment ?note }
  FILTER NOT EXISTS { ?later acc:assesses ?source ; acc:seq ?later_seq FILTER (?later_seq > ?seq) }
} } ORDER BY ?flag
"""

# The sources a source derives from, directly or through others.
UPSTREAM = """
SELECT DISTINCT ?source ?base WHERE { GRAPH graph:provenance { ?source prov:wasDerivedFrom+ ?base } }
"""

# The captures of a source (SourceCaptured), latest first: its page as users saved it.
CAPTURES = """
SELECT ?source ?sha256 ?captured ?media WHERE { GRAPH graph:provenance {
  ?capture acc:captures ?source ; acc:sha256 ?sha256 ; acc:capturedOn ?captured ; acc:mediaType ?media ; acc:seq ?seq
} } ORDER BY DESC(?seq)
"""


@dataclass(frozen=True, slots=True)
class Capture:
    """A capture of a claim's source (SourceCaptured), and whether the claim's quote occurs in it."""

    captured: str
    sha256: str
    media_type: str
    quote: str = "unchecked"  # found, not found, or unavailable (the store lacks its bytes, or holds others)


def flags(store: ox.Store, source: ox.NamedNode) -> str | None:
    """The flags of a source's latest assessment, with who made it and why; None when it has none."""
    rows = solutions(store, ASSESSED, "source", source)
    found = [short(row["flag"].value) for row in rows if row["flag"] is not None]
    if not found:
        return None
    note = rows[0]["note"]
    return f"{', '.join(found)} (by {rows[0]['assessor'].value}" + (f": {note.value})" if note else ")")


def upstream_flagged(store: ox.Store, source: ox.NamedNode) -> bool:
    """Whether every source the source derives from, directly or through others, is flagged
    (with the source's own flags: whether a claim on it rests only on flagged sources)."""
    bases = [row["base"] for row in solutions(store, UPSTREAM, "source", source)]
    return all(flags(store, base) is not None for base in bases)


def captures(store: ox.Store, source: ox.NamedNode) -> list[Capture]:
    """The source's captures, latest first (whether a quote occurs in each: accords.api trace)."""
    return [
        Capture(row["captured"].value, row["sha256"].value, row["media"].value)
        for row in solutions(store, CAPTURES, "source", source)
    ]
