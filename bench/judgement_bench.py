"""The judgement's figures as the record grows: contradictions, full validation and
--over-time at each size, measured in one run.

    python bench/judgement_bench.py [--events 25000,100000] [--over-time 100000] [--repeat 3]

For each size, a fresh SQLite store of the generated history (bench/generate.py, seed 1),
imported and projected by the installed `accords`, then (process start included):
`accords query contradictions` the first time (it judges the whole record and the
projection keeps it) and --repeat times after (it reads what is kept); `accords validate`
(full: every graph shape and the judgement). With --over-time N, `validate --over-time` of
the N-event history in this process, timed per quarter of the history: the milliseconds
an event costs in each quarter (the issue's target: 10 ms in every quarter at 100,000).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

CONTRADICTIONS_TARGET = 3.0  # s at 25,000 events; at 100,000 at most 4.5 times that
VALIDATE_TARGET = 120.0  # s at 100,000 events
OVER_TIME_TARGET = 10.0  # ms an event, in every quarter of the 100,000-event history


def history(folder: Path, events: int) -> Path:
    path = folder / f"history-{events}.jsonl"
    with path.open("wb") as out:
        subprocess.run(
            [sys.executable, str(Path(__file__).parent / "generate.py"), str(events), "-"], stdout=out, check=True
        )
    return path


def timed(*args: str, cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(["accords", *args], cwd=cwd, env=env, capture_output=True)
    if done.returncode not in (0, 1):  # validate: 1 when the generated record has violations
        raise SystemExit(f"accords {' '.join(args)} exited {done.returncode}: {done.stderr.decode()[-1000:]}")
    return time.perf_counter() - start


def sizes(folder: Path, counts: list[int], repeat: int, env: dict[str, str]) -> None:
    for count in counts:
        store = folder / f"store-{count}"
        store.mkdir()
        path = history(folder, count)
        timed("init", cwd=store, env=env)
        imported = timed("import", str(path), cwd=store, env=env)
        projected = timed("sparql", "ASK {}", cwd=store, env=env)
        first = timed("query", "contradictions", "--format", "csv", cwd=store, env=env)
        kept = statistics.median(
            timed("query", "contradictions", "--format", "csv", cwd=store, env=env) for _ in range(repeat)
        )
        validated = timed("validate", "--format", "json", cwd=store, env=env)
        print(
            f"{count:>9,} events: import {imported:7.1f} s, project {projected:7.1f} s, contradictions first"
            f" {first:6.1f} s (judges and keeps), then {kept:5.2f} s (median of {repeat}), validate {validated:6.1f} s",
            flush=True,
        )


def over_time(folder: Path, count: int) -> None:
    from accords.events.files import read_events
    from accords.events.log import Log
    from accords.events.backends import open_store
    from accords.graph.timeline import over_time as walk

    log = Log(open_store(str(folder / "over-time.db"), create=True), "bench")
    with history(folder, count).open("rb") as lines:
        log.append(read_events(lines, "history"))
    quarter = count // 4
    marks: list[float] = []

    def clocked(events: Iterator[object]) -> Iterator[object]:
        marks.append(time.perf_counter())
        for n, event in enumerate(events, 1):
            yield event
            if n % quarter == 0:
                marks.append(time.perf_counter())

    spans = walk(clocked(log.read()))  # type: ignore[arg-type]
    costs = [1000 * (b - a) / quarter for a, b in zip(marks, marks[1:])]
    print(
        f"validate --over-time, {count:,} events ({len(spans):,} findings over the history): ms an event per quarter "
        + ", ".join(f"{c:.2f}" for c in costs)
        + f" (target <= {OVER_TIME_TARGET} in each)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", default="25000,100000")
    parser.add_argument("--over-time", type=int, default=0, help="also --over-time of this many events")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="accords-judgement-"))
    env = {**os.environ, "ACCORDS_WITNESS": str(folder / "witness.json")}
    env.pop("ACCORDS_STORE", None)
    sizes(folder, [int(n) for n in args.events.split(",") if n], args.repeat, env)
    if args.over_time:
        over_time(folder, args.over_time)


if __name__ == "__main__":
    main()
