"""Two installed accords side by side on one generated history: import, full validation,
--over-time, and every named query (current and --as-of half the history).

    python bench/before_after.py --before /tmp/venv-before/bin/accords [--after accords]
                                 [--import-events 100000] [--validate-events 25000]
                                 [--over-time-events 10000] [--query-events 25000] [--repeat 3]
                                 [--only import,validate,over-time,query] [--queries a,b]

--before is the accords command of an earlier commit, installed in a venv of its own
(git worktree add /tmp/before COMMIT && python -m venv /tmp/venv-before &&
/tmp/venv-before/bin/pip install /tmp/before). Each figure runs the two commands in turn,
--repeat times, on copies of the same history (bench/generate.py, seed 1), and prints the
median seconds of each and after/before. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _history(folder: Path, events: int) -> Path:
    path = folder / f"history-{events}.jsonl"
    if not path.exists():
        with path.open("wb") as out:
            subprocess.run(
                [sys.executable, str(Path(__file__).parent / "generate.py"), str(events), "-"], stdout=out, check=True
            )
    return path


def _timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # validate exits 1 when the generated record has violations
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    return elapsed


def _store(accords: str, folder: Path, history: Path) -> Path:
    """A store holding history, imported (and projected, by a first read) by this accords."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([accords, "init"], cwd=folder, check=True, capture_output=True)
    subprocess.run([accords, "import", str(history)], cwd=folder, check=True, capture_output=True)
    subprocess.run([accords, "sparql", "ASK {}"], cwd=folder, check=True, capture_output=True)
    return folder


def figure(name: str, runs: dict[str, list[float]]) -> None:
    before, after = (statistics.median(runs[k]) for k in ("before", "after"))
    print(
        f"{name:32} before {before:8.2f} s   after {after:8.2f} s   after/before {after / before:5.3f}"
        f"   (runs: {', '.join(f'{t:.2f}' for t in runs['before'])} | {', '.join(f'{t:.2f}' for t in runs['after'])})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="the accords command of the earlier commit")
    parser.add_argument("--after", default="accords", help="the accords command measured against it")
    parser.add_argument("--import-events", type=int, default=100_000)
    parser.add_argument("--validate-events", type=int, default=25_000)
    parser.add_argument("--over-time-events", type=int, default=10_000)
    parser.add_argument("--query-events", type=int, default=25_000)
    parser.add_argument("--queries", help="the named queries to time (default: every one)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="import,validate,over-time,query", help="the figures to measure")
    args = parser.parse_args()
    only = set(args.only.split(","))
    commands = {"before": args.before, "after": args.after}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        runs: dict[str, list[float]] = {"before": [], "after": []}
        for n in range(args.repeat if "import" in only else 0):
            history = _history(work, args.import_events)
            for side, accords in commands.items():
                folder = work / f"import-{side}-{n}"
                folder.mkdir()
                subprocess.run([accords, "init"], cwd=folder, check=True, capture_output=True)
                runs[side].append(_timed([accords, "import", str(history)], folder))
                shutil.rmtree(folder)
        if "import" in only:
            figure(f"import {args.import_events:,}", runs)
        for events, flags, label in (
            (args.validate_events, [], "validate"),
            (args.over_time_events, ["--over-time"], "validate --over-time"),
        ):
            if label.split()[-1].removeprefix("--") not in only:
                continue
            history = _history(work, events)
            stores = {side: _store(accords, work / f"{label}-{side}", history) for side, accords in commands.items()}
            runs = {"before": [], "after": []}
            for _ in range(args.repeat):
                for side, accords in commands.items():
                    runs[side].append(_timed([accords, "validate", *flags, "--format", "json"], stores[side]))
            figure(f"{label} {events:,}", runs)
        if "query" in only:
            queries(commands, work, args)


def queries(commands: dict[str, str], work: Path, args: argparse.Namespace) -> None:
    """`accords query NAME --format csv` end to end (process start included), current and
    --as-of half the history, each command on a store it imported and projected itself."""
    history = _history(work, args.query_events)
    stores = {side: _store(accords, work / f"query-{side}", history) for side, accords in commands.items()}
    listed = subprocess.run([commands["after"], "query", "--list", "--format", "json"], capture_output=True, check=True)
    names = (
        args.queries.split(",")
        if args.queries
        else [q["name"] for q in json.loads(listed.stdout) if "sparql" in q["engines"]]
    )
    for name in names:
        for clocks in ([], ["--as-of", str(args.query_events // 2)]):
            runs: dict[str, list[float]] = {"before": [], "after": []}
            for _ in range(args.repeat):
                for side, accords in commands.items():
                    runs[side].append(_timed([accords, "query", name, *clocks, "--format", "csv"], stores[side]))
            figure(f"query {name} {' '.join(clocks) or 'current'}", runs)


if __name__ == "__main__":
    main()
