"""Benchmarks of the accords graph (issue 3): projection throughput, named-query latency on
the current view and --as-of, SPARQL through accords, and peak memory.

    python bench/graph_bench.py [--events 100000] [--build-runs 3] [--query-runs 5] [--repeat 3]

Every figure is measured in this run on the same generated events (bench/generate.py,
seed 1), next to a peer measured in the same run:

- projection: `open_projection(recorder, path)` from empty vs a plain pyoxigraph
  `Store(path).bulk_extend(quads)` of the very quads the projection holds (parsed from
  its N-Quads dump before the clock starts), and `bulk_load` of that dump; the in-memory
  fold (what a folded --as-of view costs). Each runs in its own child process, whose
  peak RSS (wait4) is the memory figure. The build and the bulk_extend peer alternate
  --build-runs times (median, and the median of each round's own ratio); the others run
  once.
- named queries (three, or those --queries names, or all): graph.sparql.run on the live
  projection with `at=View()` and with `at=View(as_of=head/2)`, which is what
  `accords query NAME [--as-of N]` does; runs
  alternate between the two views in one child process (killed after --query-budget
  seconds); median of --query-runs. And `accords query NAME` end to end (subprocess).
- SPARQL: graph.sparql.run vs `store.query(text, default_graph=..., prefixes=...)` on the
  same pyoxigraph store, and on the plain bulk-loaded store; results fully consumed;
  runs interleaved; median of --repeat.

Timings are wall clock; nothing is asserted. Run it from any directory.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
import generate  # noqa: E402
from graph_children import consume  # noqa: E402
from figures import EXTRA, FIGURES, RATIOS, child_env, print_report, profile_top, record, say, timed, write_json  # noqa: E402

SEED = 1
PROJECTION_TARGET = 0.5  # accords projection / plain pyoxigraph bulk load (quads/s)
AS_OF_TARGET = 2.0  # as-of latency / current latency, at most
SPARQL_TARGET = 1.3  # accords / pyoxigraph direct, at most
APPEND_CHUNK = 1000

# The named queries timed by default (--queries all times every one), and the parameters
# that fit the generated events where the defaults do not.
NAMED = ["agreements-by-state", "state-timeline", "retracted-claims"]
PARAMS = {
    "agreements-by-state": {"state": "state/RW"},
    "state-timeline": {"state": "state/RW"},
    "claims-by-outlet": {"publisher": "Reuters"},
}
CLI_QUERY = "retracted-claims"

# Ad-hoc SPARQL for accords vs pyoxigraph direct: the default graph is the belief graph.
ADHOC = {
    "agreements by status (belief, GROUP BY)": """
        SELECT ?status (COUNT(DISTINCT ?a) AS ?agreements) WHERE { ?a a acc:Agreement ; acc:status ?status }
        GROUP BY ?status ORDER BY ?status""",
    "claims per publisher (provenance join, path)": """
        SELECT ?publisher (COUNT(?claim) AS ?claims) WHERE {
          GRAPH graph:provenance { ?claim a acc:Claim ; prov:wasDerivedFrom ?src .
                                   ?src dcterms:publisher/rdfs:label ?publisher } }
        GROUP BY ?publisher ORDER BY DESC(?claims)""",
    "transfers with labels (belief + vocabulary, rows)": """
        SELECT ?t ?from ?to ?people WHERE {
          ?t a acc:Transfer ; acc:from ?f ; acc:to ?d .
          OPTIONAL { ?t acc:people ?people }
          OPTIONAL { ?f rdfs:label ?from } OPTIONAL { ?d rdfs:label ?to } }""",
}


def du(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# -- children -------------------------------------------------------------------------


@dataclass
class Child:
    wall: float
    maxrss_mib: float
    lines: list[dict[str, Any]]  # the JSON lines the child printed
    killed: bool
    stderr: str


def spawn(argv: Sequence[str], cwd: Path, timeout: float | None = None) -> Child:
    """Run argv; its JSON stdout lines, wall time and peak RSS (os.wait4, this child only)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=str(cwd), env=child_env(), stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        killed = False
        if timeout is None:
            _, status, usage = os.wait4(proc.pid, 0)
        else:  # poll without reaping, so wait4 still reports this child's rusage
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() - start > timeout:
                    proc.kill()
                    killed = True
                    _, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        lines = [json.loads(x) for x in out.read().decode().splitlines() if x.startswith('{"')]
        text = err.read().decode(errors="replace")
    if proc.returncode != 0 and not killed:
        raise SystemExit(f"{' '.join(map(str, argv))} exited {proc.returncode}:\n{text}")
    return Child(wall, usage.ru_maxrss / 1024, lines, killed, text)


def me(*args: Any) -> list[str]:
    """The command of a child running one part (bench/graph_children.py)."""
    return [sys.executable, str(HERE.parent / "graph_children.py"), *map(str, args)]


# -- 1. the store ---------------------------------------------------------------------


def build_store(n: int, path: Path) -> None:
    """Append the generated events with Log.append, a chunk per transaction; skip refused ones."""
    from accords.events.errors import InputError
    from accords.events.log import Draft, Log
    from accords.events.sqlite import SqliteRecorder

    events = list(generate.events(n, SEED))
    recorder = SqliteRecorder(str(path), create=True)
    log = Log(recorder, "bench")
    refused: list[tuple[int, str, str]] = []
    start = time.perf_counter()
    for lo in range(0, n, APPEND_CHUNK):
        todo = list(range(lo, min(n, lo + APPEND_CHUNK)))
        while todo:
            drafts = [Draft(events[i]["type"], events[i]["body"], events[i].get("key"), where=f"#{i}") for i in todo]
            try:
                log.append(drafts)
                break
            except InputError as e:  # the whole chunk rolled back: drop the one refused, retry
                bad = int(e.message.split(":", 1)[0].lstrip("#"))
                refused.append((bad, events[bad]["type"], e.message.split(":", 1)[1].strip()))
                todo.remove(bad)
    seconds = time.perf_counter() - start
    head = recorder.head().seq
    recorder.close()
    record("append", f"Log.append of {n:,} generated events (SQLite, {APPEND_CHUNK}/tx)", "events/s", head / seconds)
    EXTRA["store"] = f"{head:,} events in the log, {len(refused)} refused; {du(path) / 2**20:,.0f} MiB"
    if refused:
        reasons: dict[str, int] = {}
        for _, kind, why in refused:
            reasons[f"{kind}: {why}"] = reasons.get(f"{kind}: {why}", 0) + 1
        EXTRA["refused"] = "; ".join(f"{k} (x{v})" for k, v in sorted(reasons.items(), key=lambda x: -x[1])[:8])
    EXTRA["head"] = head


# -- 2. projection and plain load -----------------------------------------------------


def projection_benchmarks(store: Path, work: Path, runs: int) -> Path:
    graph = work / "store.db.graph"
    base = spawn(me("baseline"), work)
    record("rss_base", "  peer: a child importing accords.graph + pyoxigraph only", "MiB", base.maxrss_mib, False)

    import pyoxigraph as ox

    nq = work / "projection.nq"
    # The build and its bulk_extend peer alternate, runs times: the machine's load drifts
    # between children, and a round's own ratio sees the same drift on both sides.
    for run in range(runs):
        shutil.rmtree(graph, ignore_errors=True)
        c = spawn(me("project", store, graph), work)
        res = c.lines[-1]
        quads, head = res["quads"], res["head"]
        EXTRA["quads"] = quads
        record("proj_ev", "accords: open_projection from empty (disk)", "events/s", head / res["seconds"])
        record("proj_q", "accords: open_projection from empty (disk)", "quads/s", quads / res["seconds"])
        record("proj_s", "accords: open_projection from empty (disk)", "s", res["seconds"], False)
        record("rss_proj", "accords: open_projection from empty: peak RSS", "MiB", c.maxrss_mib, False)
        record("cpu_proj", "accords: open_projection from empty: CPU, all threads", "s", res["cpu"], False)
        say(f"  projection: {head:,} events -> {quads:,} quads in {res['seconds']:.1f} s, peak {c.maxrss_mib:.0f} MiB")
        if run == 0:
            projected = ox.Store.read_only(str(graph))
            counts: dict[str, int] = {}
            for name in ("provenance", "belief", "vocabulary", "projection"):
                counts[name] = sum(
                    1
                    for _ in projected.quads_for_pattern(
                        None, None, None, ox.NamedNode(f"https://w3id.org/accords/graph/{name}")
                    )
                )
            counts["claim graphs"] = quads - sum(counts.values())
            EXTRA["quads by graph"] = ", ".join(f"{k} {v:,}" for k, v in counts.items())
            seconds, _ = timed(lambda: projected.dump(output=str(nq), format=ox.RdfFormat.N_QUADS))
            del projected
            record("dump", "  part: dump the projection to N-Quads (Rust, on disk)", "quads/s", quads / seconds)
            EXTRA["sizes"] = (
                f"log {du(store) / 2**20:,.0f} MiB, projection {du(graph) / 2**20:,.0f} MiB, N-Quads {du(nq) / 2**20:,.0f} MiB"
            )
        for how, key in (("bulk_extend", "plain"), ("bulk_load", "plain_nq")):
            if how == "bulk_load" and run > 0:
                continue
            path = work / f"plain-{how}"
            shutil.rmtree(path, ignore_errors=True)
            c = spawn(me("plain", nq, path, how), work)
            res = c.lines[-1]
            if res["quads"] != quads:
                raise SystemExit(f"plain {how} holds {res['quads']} quads, the projection {quads}")
            what = (
                "peer: Store(path).bulk_extend(the same quads, pre-parsed)"
                if how == "bulk_extend"
                else "peer: Store(path).bulk_load(N-Quads file, parse included)"
            )
            record(key, what, "quads/s", quads / res["seconds"])
            record(key + "_s", what, "s", res["seconds"], False)
            record("rss_" + key, what + ": peak RSS", "MiB", c.maxrss_mib, False)
            record("cpu_" + key, what + ": CPU, all threads", "s", res["cpu"], False)
            say(f"  {how}: {res['seconds']:.1f} s, peak {c.maxrss_mib:.0f} MiB")
            if how == "bulk_load":
                shutil.rmtree(path, ignore_errors=True)
        record(
            "round",
            "  open_projection / bulk_extend, each round's own ratio",
            "x",
            FIGURES["proj_q"].values[-1] / FIGURES["plain"].values[-1],
        )
    nq.unlink()

    c = spawn(me("memory", store), work)
    fold = c.lines[0]
    if fold["quads"] != quads:
        EXTRA["warning"] = f"in-memory fold holds {fold['quads']} quads, the disk projection {quads}"
    record("mem_ev", "accords: Projection.memory().fold(recorder.read())", "events/s", head / fold["seconds"])
    record("mem_q", "accords: Projection.memory().fold(recorder.read())", "quads/s", quads / fold["seconds"])
    record("rss_mem", "accords: in-memory fold: peak RSS", "MiB", c.maxrss_mib, False)
    say(f"  memory fold: {fold['seconds']:.1f} s")

    RATIOS.append(("open_projection / plain bulk_extend (quads/s)", "proj_q", "plain", PROJECTION_TARGET, True))
    RATIOS.append(("median of the rounds' own ratios", "round", "=1", PROJECTION_TARGET, True))
    RATIOS.append(
        ("open_projection / plain bulk_load N-Quads (quads/s)", "proj_q", "plain_nq", PROJECTION_TARGET, True)
    )
    RATIOS.append(("memory fold / plain bulk_extend (quads/s)", "mem_q", "plain", None, True))
    RATIOS.append(("CPU seconds: plain bulk_extend / open_projection", "cpu_plain", "cpu_proj", None, True))
    RATIOS.append(("peak RSS: open_projection / plain bulk_extend", "rss_proj", "rss_plain", None, False))
    return graph


def profile_fold(store: Path, work: Path, events: int, count: int) -> None:
    """cProfile of the fold of the first events into a fresh on-disk projection, and in memory."""
    from accords.events.sqlite import SqliteRecorder
    from accords.graph.projection import Projection

    recorder = SqliteRecorder(str(store))
    path = work / "profile-graph"
    shutil.rmtree(path, ignore_errors=True)

    def fold_on_disk() -> None:
        disk = Projection.open(path)
        disk.fold(recorder.read(1, events))
        del disk  # dropping the last reference releases the store's lock

    EXTRA[f"fold of the first {events:,} events into an on-disk projection_profile"] = profile_top(fold_on_disk, count)
    shutil.rmtree(path, ignore_errors=True)
    memory = Projection.memory()
    EXTRA[f"fold of the first {events:,} events in memory_profile"] = profile_top(
        lambda: memory.fold(recorder.read(1, events)), count
    )
    recorder.close()


# -- 3. named queries -----------------------------------------------------------------


def query_benchmarks(store: Path, graph: Path, work: Path, names: list[str], runs: int, budget: float) -> None:
    as_of = EXTRA["head"] // 2
    EXTRA["as_of"] = as_of
    for name in names:
        params = PARAMS.get(name, {})
        label = f"{name}{' ' + ' '.join(f'{k}={v}' for k, v in params.items()) if params else ''}"
        c = spawn(me("query", store, graph, name, json.dumps(params), as_of, runs), work, timeout=budget)
        for view, key in (("current", "cur"), ("as_of", "asof")):
            done = [x for x in c.lines if x["view"] == view]
            what = f"{label}: {'current' if view == 'current' else f'--as-of {as_of:,}'}"
            for x in done:
                record(f"q_{name}_{key}", what, "ms", 1000 * x["seconds"], False)
            if done:
                EXTRA[f"rows {name} {view}"] = done[0]["rows"]
            if len(done) < runs:
                EXTRA[f"{name} {view}"] = (
                    f"only {len(done)} of {runs} runs within the {budget:.0f} s budget (child killed)"
                )
        if FIGURES.get(f"q_{name}_cur") and FIGURES.get(f"q_{name}_asof"):
            RATIOS.append(
                (f"{name}: as-of / current (latency)", f"q_{name}_asof", f"q_{name}_cur", AS_OF_TARGET, False)
            )
        say(
            f"  {label}: "
            + ", ".join(
                f"{k} {statistics.median(v):,.0f} ms"
                for k, v in (
                    (k, [x["seconds"] * 1000 for x in c.lines if x["view"] == k]) for k in ("current", "as_of")
                )
                if v
            )
        )

    exe = Path(sys.executable).parent / "accords"
    accords = str(exe) if exe.exists() else (shutil.which("accords") or "accords")
    argv = [accords, "query", CLI_QUERY, "--store", str(store), "--format", "csv"]
    for _ in range(runs):
        record(
            "cli_py",
            "peer: python -c pass (start)",
            "ms",
            1000 * spawn([sys.executable, "-c", "pass"], work).wall,
            False,
        )
        record(
            "cli_list",
            "peer: accords query --list (start + imports)",
            "ms",
            1000 * spawn([accords, "query", "--list", "--format", "csv"], work).wall,
            False,
        )
        record("cli_cur", f"accords query {CLI_QUERY} (CLI, wall)", "ms", 1000 * spawn(argv, work).wall, False)
        record(
            "cli_asof",
            f"accords query {CLI_QUERY} --as-of {as_of:,} (CLI, wall)",
            "ms",
            1000 * spawn(argv + ["--as-of", str(as_of)], work).wall,
            False,
        )
    RATIOS.append((f"CLI {CLI_QUERY}: as-of / current", "cli_asof", "cli_cur", AS_OF_TARGET, False))
    RATIOS.append((f"CLI {CLI_QUERY} / in-process run (current)", "cli_cur", f"q_{CLI_QUERY}_cur", None, False))


# -- 4. SPARQL through accords vs pyoxigraph ------------------------------------------


def sparql_benchmarks(store: Path, graph: Path, plain: Path, repeat: int) -> None:
    import pyoxigraph as ox

    from accords.events.sqlite import SqliteRecorder
    from accords.graph.projection import View, open_projection, view
    from accords.graph.sparql import DEFAULT_GRAPHS, run
    from accords.graph.terms import ID, PREFIXES

    recorder = SqliteRecorder(str(store))
    projection = open_projection(recorder, graph)
    as_of = EXTRA["head"] // 2
    seconds, folded = timed(lambda: view(recorder, View(as_of=as_of), projection))
    record(
        "view_asof",
        f"view(View(as_of={as_of:,})): the in-memory fold `accords sparql --as-of` runs",
        "ms",
        1000 * seconds,
        False,
    )
    del folded
    bulk = ox.Store.read_only(str(plain)) if plain.exists() else None
    for i, (label, text) in enumerate(ADHOC.items()):

        def direct(s: ox.Store) -> Callable[[], int]:
            return lambda: consume(s.query(text, base_iri=ID, prefixes=PREFIXES, default_graph=DEFAULT_GRAPHS))

        timed(lambda: consume(run(projection, text)))  # warm the caches alike for all three
        rows = None
        for _ in range(repeat):
            seconds, rows = timed(lambda: consume(run(projection, text)))
            record(f"sp{i}_acc", f"{label}: graph.sparql.run", "ms", 1000 * seconds, False)
            seconds, again = timed(direct(projection.store))
            record(f"sp{i}_ox", f"{label}: store.query, same store", "ms", 1000 * seconds, False)
            if bulk is not None:
                seconds, _ = timed(direct(bulk))
                record(f"sp{i}_bulk", f"{label}: store.query, plain bulk-loaded store", "ms", 1000 * seconds, False)
            if again != rows:
                raise SystemExit(f"{label}: accords {rows} rows, pyoxigraph {again}")
        EXTRA[f"rows {label}"] = rows
        RATIOS.append((f"SPARQL {label}: accords / pyoxigraph", f"sp{i}_acc", f"sp{i}_ox", SPARQL_TARGET, False))
        if bulk is not None:
            RATIOS.append((f"SPARQL {label}: accords / bulk-loaded store", f"sp{i}_acc", f"sp{i}_bulk", None, False))
    recorder.close()


# -- report ---------------------------------------------------------------------------


def report(args: argparse.Namespace) -> None:
    import pyoxigraph

    print(
        f"\naccords graph benchmarks: {args.events:,} events, {os.cpu_count()} CPUs, Python {sys.version.split()[0]},"
        f" pyoxigraph {pyoxigraph.__version__}; {args.build_runs} build round(s), queries median of {args.query_runs},"
        f" SPARQL median of {args.repeat}"
    )
    print(
        f"load average at the start: {EXTRA.pop('load_start', '?')}; at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())};"
        f" accords checkout {EXTRA.get('revision', '?')}\n"
    )
    print_report()
    if args.json:
        write_json(args.json, events=args.events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each ad-hoc SPARQL query (median)")
    parser.add_argument("--query-runs", type=int, default=5, help="runs of each named query per view (median)")
    parser.add_argument(
        "--build-runs",
        type=int,
        default=1,
        help="rounds of the projection build and its bulk_extend peer, alternating (median)",
    )
    parser.add_argument(
        "--query-budget",
        type=float,
        default=900,
        help="seconds a named query's child may take for all its runs before it is killed",
    )
    parser.add_argument(
        "--queries",
        default=",".join(NAMED),
        help="comma-separated named queries to time, or all (every one with a SPARQL form)",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the fold even if the target is met")
    parser.add_argument("--profile-events", type=int, default=10_000, help="events the profiled fold covers")
    parser.add_argument(
        "--only",
        default="projection,queries,sparql",
        help="comma-separated: projection, queries, sparql (the store is always built)",
    )
    parser.add_argument("--json", help="also write the figures to this JSON file")
    parser.add_argument("--workdir", help="where to put stores (default: a temporary directory, removed)")
    args = parser.parse_args()
    only = set(args.only.split(","))

    git = subprocess.run(
        ["git", "-C", str(HERE.parent.parent), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )  # read-only
    EXTRA["revision"] = git.stdout.strip() or "?"
    EXTRA["load_start"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    work = Path(args.workdir or tempfile.mkdtemp(prefix="accords-graph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        store = work / "store.db"
        graph = work / "store.db.graph"
        if not store.exists():
            build_store(args.events, store)
            say(f"store: {EXTRA['store']} ({FIGURES['append'].median:,.0f} events/s)")
        else:
            from accords.events.sqlite import SqliteRecorder

            recorder = SqliteRecorder(str(store))
            EXTRA["head"] = recorder.head().seq
            EXTRA["store"] = f"{EXTRA['head']:,} events in the log (reused from the workdir)"
            recorder.close()
        if "projection" in only:
            for path in (graph, work / "plain-bulk_extend"):
                shutil.rmtree(path, ignore_errors=True)
            graph = projection_benchmarks(store, work, args.build_runs)
            ratio = FIGURES["proj_q"].median / FIGURES["plain"].median
            if args.profile or ratio < PROJECTION_TARGET:
                say("  profiling the fold")
                profile_fold(store, work, min(args.profile_events, EXTRA["head"]), 15)
        if "queries" in only:
            from accords.queries.library import library

            names = [n for n, q in library().items() if q.sparql] if args.queries == "all" else args.queries.split(",")
            query_benchmarks(store, graph, work, names, args.query_runs, args.query_budget)
        if "sparql" in only:
            sparql_benchmarks(store, graph, work / "plain-bulk_extend", args.repeat)
        report(args)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
