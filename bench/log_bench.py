"""Benchmarks of the accords log: import, verify, one-event latency and import memory.

    python bench/log_bench.py [--events 100000] [--repeat 3] [--postgres URL] [--million]

Every figure is measured in this run on the same generated events (bench/generate.py,
seed 1), next to a peer measured in the same run: the eventsourcing library's SQLite
recorder for import (StoredEvents made from the same event dicts inside the clock; as a
second row, made by its Mapper),
orjson + hashlib for verify, `python -c pass` for latency. Timed
figures are the median of --repeat runs (best shown too); nothing is asserted. Run it
from any directory; subprocesses run the installed `accords` command.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402
from accords_appends import (  # noqa: E402
    accords_inserts_only,
    accords_lib_append,
    accords_lib_memory,
    accords_unchecked,
)
from eventsourcing_peer import eventsourcing_append  # noqa: E402
from figures import (  # noqa: E402
    EXTRA,
    FIGURES,
    RATIOS,
    child_env,
    cpu_timed,
    print_report,
    profile_top,
    record,
    say,
    timed,
    write_json,
)
from postgres import FreshDatabase  # noqa: E402

VERIFY_TARGET = 250_000  # events/s
RATIO_TARGET = 1.0  # accords / eventsourcing import throughput
SEED = 1


# -- running children -----------------------------------------------------------------


@dataclass
class Child:
    wall: float  # seconds, including process start
    cpu: float  # user + system seconds of the child
    maxrss_mib: float  # peak resident set of the child (wait4 rusage, this child only)
    stderr: str


def accords_exe() -> str:
    """The accords console script next to this Python (not a pyenv shim, which adds a shell)."""
    beside = Path(sys.executable).parent / "accords"
    found = str(beside) if beside.exists() else shutil.which("accords")
    if not found:
        sys.exit("the accords command is not installed: pip install -e /work/main")
    return found


# The child is started from this small launcher, not from the benchmark process: a forked
# child's peak RSS counts the parent's pages until exec, and the benchmark holds 100,000
# parsed events. Wall time is taken in the launcher, so it excludes the launcher's start.
_LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - start
print(json.dumps([wall, os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime, usage.ru_maxrss]))
"""


def run(argv: Sequence[str], cwd: str, env: dict[str, str] | None = None, check: bool = True) -> Child:
    """Run argv to completion; wall time, CPU and peak RSS of this one child (os.wait4)."""
    with tempfile.TemporaryFile() as err:
        out = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, *argv],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
        )
        err.seek(0)
        text = err.read().decode(errors="replace")
    if out.returncode != 0:
        raise SystemExit(f"the launcher of {' '.join(argv)} failed:\n{text}")
    wall, code, cpu, maxrss_kib = json.loads(out.stdout)
    if check and code != 0:
        raise SystemExit(f"{' '.join(argv)} exited {code}:\n{text}")
    return Child(wall, cpu, maxrss_kib / 1024, text)


# -- import: accords ------------------------------------------------------------------


def accords_cli_import(jsonl: Path, n: int, work: Path, tag: str) -> tuple[Child, Path]:
    exe, env = accords_exe(), child_env()
    db = work / f"cli-{tag}.db"
    run([exe, "init", "--store", str(db)], str(work), env)
    child = run([exe, "import", "--store", str(db), str(jsonl)], str(work), env)
    if f"committed {n} new events" not in child.stderr:
        raise SystemExit(f"accords import did not commit {n} events:\n{child.stderr}")
    return child, db


# -- PostgreSQL -----------------------------------------------------------------------


def postgres_verify(url: str, n: int) -> None:
    """verify over a database just filled: the first read after the appends."""
    from accords.events import integrity
    from accords.events.backends import open_store

    store = open_store(url)
    try:
        wall, cpu, result = cpu_timed(lambda: integrity.verify(store))
    finally:
        store.close()
    if result.problem or result.events != n:
        raise SystemExit(f"verify (PostgreSQL) failed: {result}")
    record("pg_verify", "PostgreSQL: verify", "events/s", n / wall)
    record(
        "pg_verify_cpu", "  same, per CPU second of accords' processes (the server's not counted)", "events/s", n / cpu
    )


def postgres_benchmarks(base: str, jsonl: Path, events: list[dict[str, Any]], repeat: int, work: Path) -> None:
    n = len(events)
    exe, env = accords_exe(), child_env()
    for i in range(repeat):
        with FreshDatabase(base) as url:
            run([exe, "init", "--store", url], str(work), env)
            child = run([exe, "import", "--store", url, str(jsonl)], str(work), env)
            if f"committed {n} new events" not in child.stderr:
                raise SystemExit(child.stderr)
            record("pg_cli", "PostgreSQL: accords import (CLI, wall incl. start)", "events/s", n / child.wall)
        with FreshDatabase(base) as url:
            record("pg_lib", "PostgreSQL: Log.append (library)", "events/s", n / accords_lib_append(events, url))
            postgres_verify(url, n)
        if i == 0:
            with FreshDatabase(base) as url:
                sample = events[:5000]
                EXTRA["PostgreSQL Log.append (first 5,000 events)_profile"] = profile_top(
                    lambda: accords_lib_append(sample, url), 10
                )
        say(
            f"  postgres {i + 1}/{repeat}: cli {FIGURES['pg_cli'].values[-1]:,.0f}/s,"
            f" lib {FIGURES['pg_lib'].values[-1]:,.0f}/s, verify {FIGURES['pg_verify'].values[-1]:,.0f}/s"
        )


# -- verify ---------------------------------------------------------------------------


def verify_benchmarks(db: Path, n: int, repeat: int, profile: bool) -> None:
    from accords.events import integrity
    from accords.events.model import COLUMNS
    from accords.events.sqlite import SqliteRecorder

    raw = sqlite3.connect(str(db))
    bodies = [orjson.loads(row[0]) for row in raw.execute("SELECT body FROM events ORDER BY seq")]
    raw.close()

    def scan(factory: type) -> int:
        con = sqlite3.connect(str(db))
        con.text_factory = factory
        cursor = con.execute(f"SELECT {COLUMNS} FROM events ORDER BY seq")
        count = 0
        while rows := cursor.fetchmany(2000):
            count += len(rows)
        con.close()
        return count

    def canonical_sha256() -> int:
        sha256, dumps, sort = hashlib.sha256, orjson.dumps, orjson.OPT_SORT_KEYS
        for body in bodies:
            sha256(dumps(body, option=sort)).hexdigest()
        return len(bodies)

    def verify(path: Path, processes: int | None) -> Any:
        store = SqliteRecorder(str(path))
        try:
            return integrity.verify(store, processes=processes)
        finally:
            store.close()

    checkpointed = db.with_name("checkpointed.db")
    shutil.copyfile(db, checkpointed)
    store = SqliteRecorder(str(checkpointed))
    integrity.make_checkpoint(store, "2025-06-01T00:00:00.000000Z")
    store.close()
    for _ in range(repeat):
        for path, processes, name, label in (
            (db, None, "verify", "verify: accords.events.integrity.verify (SQLite)"),
            (db, 1, "verify_one", "verify --processes 1 (one process)"),
            (checkpointed, None, "verify_cp", "verify, a checkpoint over all (Merkle tree too)"),
        ):
            wall, cpu, result = cpu_timed(lambda: verify(path, processes))
            if result.problem or result.events != n:
                raise SystemExit(f"verify failed: {result}")
            record(name, label, "events/s", n / wall)
            record(f"{name}_cpu", "  same, per CPU second of all its processes", "events/s", n / cpu)
        wall, cpu, _ = cpu_timed(canonical_sha256)
        record("floor", "peer: orjson canonical + SHA-256 of the same bodies", "events/s", n / wall)
        record("floor_cpu", "  same, per CPU second of this process", "events/s", n / cpu)
        record("scan", "  part: SQLite scan of the 9 columns (str rows)", "events/s", n / timed(lambda: scan(str))[0])
        store = SqliteRecorder(str(db))
        record(
            "rows",
            "  part: store.read_rows() (what verify reads)",
            "events/s",
            n / timed(lambda: sum(len(rows) for rows in store.read_rows()))[0],
        )
        record(
            "read",
            "  part: store.read() (Event objects, no hashing)",
            "events/s",
            n / timed(lambda: sum(1 for _ in store.read()))[0],
        )
        store.close()
    RATIOS.append(("verify / floor (orjson + hashlib, one process)", "verify", "floor", None, True))
    RATIOS.append(("verify, one process / floor", "verify_one", "floor", None, True))
    RATIOS.append(("verify / floor, CPU time", "verify_cpu", "floor_cpu", None, True))
    RATIOS.append(("verify / target 250,000 events/s", "verify", "=250000", 1.0, True))
    RATIOS.append(("verify with a checkpoint / target 250,000 events/s", "verify_cp", "=250000", None, True))
    if profile or FIGURES["verify"].median < VERIFY_TARGET:
        store = SqliteRecorder(str(db))
        EXTRA["verify_profile"] = profile_top(lambda: integrity.verify(store, processes=1), 12)
        store.close()


# -- latency --------------------------------------------------------------------------


def latency_benchmarks(work: Path, big_store: Path | None, runs: int) -> None:
    exe, env = accords_exe(), child_env()
    fresh = work / "latency.db"
    run([exe, "init", "--store", str(fresh)], str(work), env)
    for i in range(runs):  # interleaved, so background load hits every command alike
        record(
            "py", "peer: python -c pass", "ms", 1000 * run([sys.executable, "-c", "pass"], str(work), env).wall, False
        )
        record("help", "accords --help", "ms", 1000 * run([exe, "--help"], str(work), env).wall, False)
        title = f"US seeks more deportation deals, bench run {os.getpid()}-{i}"
        argv = [
            exe,
            "record",
            "--store",
            str(fresh),
            "--type",
            "SourceRegistered",
            "-f",
            f"title={title}",
            "-f",
            "kind=news",
        ]
        record("rec", "accords record (empty store)", "ms", 1000 * run(argv, str(work), env).wall, False)
        if big_store is not None:
            argv[3] = str(big_store)
            record(
                "rec_big", "accords record (store of the import)", "ms", 1000 * run(argv, str(work), env).wall, False
            )
    EXTRA["import_time"] = import_time(work, env)
    RATIOS.append(("record / python -c pass (latency)", "rec", "py", None, True))
    RATIOS.append(("--help / python -c pass (latency)", "help", "py", None, True))


def import_time(work: Path, env: dict[str, str]) -> str:
    """The heaviest top-level packages `import accords.cli` pulls in (python -X importtime)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import accords.cli"],
        cwd=str(work),
        env=env,
        capture_output=True,
        text=True,
    )
    total: dict[str, int] = {}
    stack: list[str] = []  # lines are children first: read backwards, parents first
    for line in reversed(proc.stderr.splitlines()):
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].rstrip()
        depth = (len(name) - len(name.lstrip())) // 2
        name = name.strip()
        del stack[depth:]
        stack.append(name)
        parent = stack[depth - 1] if depth else ""
        if name == "accords.cli":
            total[name] = int(parts[1])
        elif parent.startswith("accords") and not name.startswith("accords") and "." not in name:
            total[name] = max(total.get(name, 0), int(parts[1]))  # imported by accords itself
    heavy = sorted(((v, k) for k, v in total.items() if k != "accords.cli"), reverse=True)[:6]
    return f"import accords.cli {total.get('accords.cli', 0) / 1000:.0f} ms; heaviest: " + ", ".join(
        f"{k} {v / 1000:.0f} ms" for v, k in heavy
    )


# -- memory ---------------------------------------------------------------------------


def million_benchmark(work: Path, small_peak: float) -> None:
    env = child_env()
    jsonl = work / "events-1m.jsonl"
    gen = run(
        [sys.executable, str(Path(generate.__file__)), "1000000", str(jsonl), "--seed", str(SEED)], str(work), env
    )
    record("gen1m_rss", "generate.py 1,000,000 events: peak RSS", "MiB", gen.maxrss_mib, False)
    EXTRA["million_jsonl_bytes"] = jsonl.stat().st_size
    say(f"  generated 1,000,000 events ({jsonl.stat().st_size / 2**20:,.0f} MiB) in {gen.wall:.0f} s")
    child, db = accords_cli_import(jsonl, 1_000_000, work, "1m")
    record("imp1m", "SQLite: accords import 1,000,000 (CLI)", "events/s", 1_000_000 / child.wall)
    record("rss1m", "accords import 1,000,000: peak RSS", "MiB", child.maxrss_mib, False)
    EXTRA["million_db_bytes"] = db.stat().st_size
    EXTRA["million_import_seconds"] = child.wall
    RATIOS.append(("peak RSS 1,000,000 / 100,000 events", "rss1m", f"={small_peak}", None, True))
    jsonl.unlink()
    for path in work.glob("cli-1m.db*"):
        path.unlink()


# -- report ---------------------------------------------------------------------------


def report(args: argparse.Namespace) -> None:
    print(
        f"\naccords log benchmarks: {args.events:,} events, median of {args.repeat}"
        f" (latency: {args.latency_runs} runs), {os.cpu_count()} CPUs, Python {sys.version.split()[0]},"
        f" SQLite {sqlite3.sqlite_version}\n"
    )
    print(
        f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())};"
        f" accords checkout {EXTRA.get('revision', '?')}\n"
    )
    print_report()
    if args.json:
        write_json(args.json, events=args.events, repeat=args.repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed figure (median reported)")
    parser.add_argument("--latency-runs", type=int, default=20)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("ACCORDS_TEST_POSTGRES"),
        help="a PostgreSQL URL whose server may create databases (default $ACCORDS_TEST_POSTGRES)",
    )
    parser.add_argument("--million", action="store_true", help="also import 1,000,000 events and compare peak RSS")
    parser.add_argument("--profile", action="store_true", help="cProfile verify and append even if targets are met")
    parser.add_argument(
        "--only", default="import,postgres,verify,latency", help="comma-separated: import, postgres, verify, latency"
    )
    parser.add_argument("--json", help="also write the figures to this JSON file")
    parser.add_argument("--workdir", help="where to put stores (default: a temporary directory, removed)")
    args = parser.parse_args()
    only = set(args.only.split(","))
    n = args.events

    git = subprocess.run(
        ["git", "-C", str(Path(__file__).resolve().parent.parent), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
    )  # read-only
    EXTRA["revision"] = git.stdout.strip() or "?"
    work = Path(args.workdir or tempfile.mkdtemp(prefix="accords-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        jsonl = work / "events.jsonl"
        gen = run([sys.executable, str(Path(generate.__file__)), str(n), str(jsonl), "--seed", str(SEED)], str(work))
        record("gen", f"generate.py {n:,} events (child process)", "events/s", n / gen.wall)
        record("gen_rss", f"generate.py {n:,} events: peak RSS", "MiB", gen.maxrss_mib, False)
        events = [orjson.loads(line) for line in jsonl.open("rb")]
        say(f"generated {n:,} events ({jsonl.stat().st_size / 2**20:.0f} MiB) in {gen.wall:.1f} s")

        big_store: Path | None = None
        small_peak = 0.0
        if "import" in only or "verify" in only or args.million:
            for i in range(args.repeat):
                child, big_store = accords_cli_import(jsonl, n, work, str(i))
                record("cli", "SQLite: accords import (CLI, wall incl. start)", "events/s", n / child.wall)
                record("rss", f"accords import {n:,}: peak RSS", "MiB", child.maxrss_mib, False)
                small_peak = max(small_peak, child.maxrss_mib)
                say(f"  accords import {i + 1}/{args.repeat}: {n / child.wall:,.0f}/s, peak {child.maxrss_mib:.0f} MiB")
                if i + 1 < args.repeat:
                    for path in work.glob(f"cli-{i}.db*"):
                        path.unlink()
        if "import" in only:
            from accords.events.sqlite import SqliteRecorder

            store = SqliteRecorder(str(big_store))
            rows = list(store.read())
            store.close()
            for i in range(args.repeat):
                for path in work.glob("tmp-*.db*"):
                    path.unlink()
                record(
                    "lib",
                    "SQLite: Log.append (library)",
                    "events/s",
                    n / accords_lib_append(events, str(work / "tmp-lib.db")),
                )
                record(
                    "es_one",
                    "peer: eventsourcing aggregate recorder, 1 tx, 1,000/executemany",
                    "events/s",
                    n / eventsourcing_append(events, work / "tmp-es1.db", "one-tx"),
                )
                record(
                    "es_call",
                    "peer: eventsourcing aggregate recorder, insert_events per 1,000",
                    "events/s",
                    n / eventsourcing_append(events, work / "tmp-es2.db", "per-call"),
                )
                record(
                    "es_app",
                    "peer: eventsourcing application recorder, insert_events per 1,000",
                    "events/s",
                    n / eventsourcing_append(events, work / "tmp-es3.db", "app-per-call"),
                )
                record(
                    "es_map",
                    "peer 2: eventsourcing Mapper + aggregate recorder, per 1,000",
                    "events/s",
                    n / eventsourcing_append(events, work / "tmp-es4.db", "mapped"),
                )
                record(
                    "mem", "  part: Log.append into a dict (no database)", "events/s", n / accords_lib_memory(events)
                )
                record(
                    "unchecked",
                    "  part: no checks: canonical, id, chain hash, insert",
                    "events/s",
                    n / accords_unchecked(events, work / "tmp-unchecked.db"),
                )
                record(
                    "ins",
                    "  part: accords schema, inserts only (events pre-built)",
                    "events/s",
                    n / accords_inserts_only(rows, work / "tmp-ins.db"),
                )
                record(
                    "ins_cache",
                    "  part: same, PRAGMA cache_size 64 MiB",
                    "events/s",
                    n / accords_inserts_only(rows, work / "tmp-ins2.db", 65536),
                )
                say(
                    f"  library round {i + 1}/{args.repeat}: Log.append {FIGURES['lib'].values[-1]:,.0f}/s,"
                    f" eventsourcing {FIGURES['es_one'].values[-1]:,.0f}/s"
                )
            del rows
            RATIOS.append(("Log.append / eventsourcing (1 tx, like accords)", "lib", "es_one", RATIO_TARGET, True))
            RATIOS.append(
                ("Log.append / eventsourcing (insert_events per 1,000)", "lib", "es_call", RATIO_TARGET, True)
            )
            RATIOS.append(("accords import CLI / eventsourcing (1 tx)", "cli", "es_one", RATIO_TARGET, True))
            RATIOS.append(("Log.append / peer 2 (eventsourcing Mapper + recorder)", "lib", "es_map", None, True))
            RATIOS.append(("accords with no checks / eventsourcing (1 tx)", "unchecked", "es_one", None, True))
            RATIOS.append(("accords schema inserts only / eventsourcing (1 tx)", "ins", "es_one", None, True))
            if args.profile or FIGURES["lib"].median < RATIO_TARGET * FIGURES["es_one"].median:
                sample = events[: min(n, 20_000)]
                path = work / "tmp-profile.db"
                EXTRA["Log.append (first 20,000 events)_profile"] = profile_top(
                    lambda: accords_lib_append(sample, str(path)), 15
                )
        if "postgres" in only and args.postgres:
            postgres_benchmarks(args.postgres, jsonl, events, args.repeat, work)
            RATIOS.append(("PostgreSQL Log.append / SQLite Log.append", "pg_lib", "lib", None, True))
        del events
        if "verify" in only and big_store is not None:
            verify_benchmarks(big_store, n, args.repeat, args.profile)
            say("  verify done")
        if "latency" in only:
            latency_benchmarks(work, big_store, args.latency_runs)
            say("  latency done")
        if args.million:
            million_benchmark(work, small_peak)
        report(args)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
