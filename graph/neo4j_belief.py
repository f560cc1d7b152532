"""What the fold remembers of claims and nodes, and the belief it derives from them.

A fact is believed while at least one active affirmed claim states it, exactly as the
RDF belief graph; its seq intervals of belief are what the graph stores.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class ClaimInfo:
    seq: int
    affirmed: bool
    end: int | None = None  # seq of its first retraction or correction

    @property
    def believed(self) -> bool:
        return self.affirmed and self.end is None


@dataclass(slots=True)
class NodeState:
    claims: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    labels: set[str] = field(default_factory=set)
    literals: dict[tuple[str, tuple[str, str]], tuple[Any, list[str]]] = field(default_factory=dict)


def intervals(claims: Iterable[str], info: dict[str, ClaimInfo]) -> tuple[list[int], list[int]]:
    """The seq intervals in which at least one of claims was believed."""
    spans = sorted((i.seq, i.end) for c in claims if (i := info[c]).affirmed and (i.end is None or i.end > i.seq))
    merged: list[list[int | None]] = []
    for start, end in spans:
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last = merged[-1][1]
            merged[-1][1] = None if last is None or end is None else max(last, end)
        else:
            merged.append([start, end])
    return [s for s, _ in merged], [e for _, e in merged if e is not None]  # type: ignore[misc]


def belief(claims: list[str], info: dict[str, ClaimInfo], always: bool = False) -> dict[str, Any]:
    starts, ends = ([0], []) if always else intervals(claims, info)
    return {"claims": claims, "believed": len(starts) > len(ends), "believed_from": starts, "believed_until": ends}
