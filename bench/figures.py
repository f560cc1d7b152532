"""What the benchmarks share: figures recorded by key, timing, and progress on stderr."""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
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
RATIOS: list[tuple[str, str, str, float | None, bool]] = []  # (what, numerator, denominator, target, higher ok)
EXTRA: dict[str, Any] = {}  # other facts of the run; keys ending in _profile hold profile_top rows


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
    """Wall seconds, and CPU seconds of this process and of the children fn waited for:
    on a shared machine CPU time is the steadier."""

    def cpu() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    wall, before = time.perf_counter(), cpu()
    result = fn()
    return time.perf_counter() - wall, cpu() - before, result


def child_env() -> dict[str, str]:
    """The environment of an accords child: its own user, no store or graph from the caller."""
    env = dict(os.environ, ACCORDS_USER="bench")
    env.pop("ACCORDS_STORE", None)
    env.pop("ACCORDS_GRAPH", None)
    return env


def profile_top(fn: Callable[[], Any], count: int) -> list[tuple[str, int, float, float]]:
    """The total, then the top count functions by own time, then accords' own functions
    by cumulative time: (function, calls, own seconds, cumulative seconds)."""
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    rows = []
    for (file, line, name), (_, calls, own, cum, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{Path(file).parent.name}/{Path(file).name}:{line}({name})" if line else name
        rows.append((where, calls, own, cum, "/accords/" in file))
    total = sum(r[2] for r in rows)
    own = sorted(rows, key=lambda r: -r[2])[:count]
    ours = sorted((r for r in rows if r[4]), key=lambda r: -r[3])[:count]
    return [("TOTAL", 0, total, total)] + [r[:4] for r in own] + [("CUMULATIVE", 0, 0.0, 0.0)] + [r[:4] for r in ours]


def print_report() -> None:
    """The figures (median, best, runs), the ratios of their medians against their targets,
    and the extras, profiles as tables."""
    width = max(len(f.name) for f in FIGURES.values())
    print(f"{'figure':<{width}}  {'median':>12}  {'best':>12}  {'runs':>4}  unit")
    for fig in FIGURES.values():
        print(f"{fig.name:<{width}}  {fig.median:>12,.1f}  {fig.best:>12,.1f}  {len(fig.values):>4}  {fig.unit}")
    print("\nratios (of medians)")
    width = max((len(r[0]) for r in RATIOS), default=0)
    for what, num, den, target, higher_ok in RATIOS:
        try:
            ratio = value_of(num) / value_of(den)
        except KeyError:
            continue
        verdict = ""
        if target is not None:
            met = ratio >= target if higher_ok else ratio <= target
            verdict = "  target met" if met else f"  TARGET MISSED ({'>=' if higher_ok else '<='} {target})"
        print(f"  {what:<{width}} {ratio:8.3f}{verdict}")
    for key, value in EXTRA.items():
        if key == "revision":
            continue
        if key.endswith("_profile"):
            print(f"\ncProfile of {key.removesuffix('_profile')} (top by own time; profiling inflates Python calls)")
            total = value[0][2]
            for where, calls, own, cum in value[1:]:
                if where == "CUMULATIVE":
                    print("  accords functions by cumulative time:")
                    continue
                print(f"  own {own:6.2f}s  cum {cum:6.2f}s {100 * cum / total:5.1f}%  {calls:>9,}  {where}")
            print(f"  {total:7.2f}s total")
        else:
            print(f"{key}: {value}")


def write_json(path: str, **run: Any) -> None:
    """The run's parameters, every figure with its values, and the extras, as JSON."""
    Path(path).write_text(
        json.dumps(
            {
                **run,
                "figures": {
                    k: {"name": f.name, "unit": f.unit, "values": f.values, "median": f.median}
                    for k, f in FIGURES.items()
                },
                "extra": EXTRA,
            },
            indent=1,
            default=str,
        )
    )
