"""What the benchmarks share: figures recorded by key, timing, and progress on stderr."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Figure:
    name: str
    unit: str
    values: list[float] = field(default_factory=list)
    higher_is_better: bool = True
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def best(self) -> float:
        return max(self.values) if self.higher_is_better else min(self.values)


FIGURES: dict[str, Figure] = {}


def record(key: str, name: str, unit: str, value: float, higher_is_better: bool = True, note: str = "") -> None:
    fig = FIGURES.setdefault(key, Figure(name, unit, higher_is_better=higher_is_better, note=note))
    fig.values.append(value)


def value_of(ref: str) -> float:
    """A figure's median by key, or a constant written "=N"."""
    return float(ref[1:]) if ref.startswith("=") else FIGURES[ref].median


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def cpu_timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU seconds of this process: on a shared machine CPU time is the steadier."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result
