"""Benchmarks of validation: full graph validation, append-time statement checks, --over-time.

    python bench/validate_bench.py [--events 100000] [--baseline-events 50,100,200] [--pyshacl-limit 3600]
                                   [--import-events 20000] [--over-time-events 10000]

Figures, each measured in this run next to its peer, nothing asserted:

1. full validation of the projection of generated events (bench/generate.py, seed 1) by
   accords (compiled shapes + SPARQL constraints run once in Oxigraph) against pyshacl
   run plainly on an rdflib in-memory copy of the same dataset (at --baseline-events also
   pyshacl reading an Oxigraph store), first at each of --baseline-events, then at
   --events. pyshacl runs each SPARQL constraint once per focus node, which grows faster
   than the graph: it runs in a child process, stopped after --pyshacl-limit seconds of
   validation (loading not counted), and a stopped run gives a lower bound of the ratio;
2. import throughput (events/s into a fresh SQLite log) with the statement shapes checked
   at append, against the same import with the check switched off;
3. the median and 90th percentile cost per event of `validate --over-time`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402
from figures import timed  # noqa: E402

from accords.events import statement_checks  # noqa: E402
from accords.events.log import Draft, Log  # noqa: E402
from accords.events.store import open_store  # noqa: E402
from accords.graph.projection import Projection  # noqa: E402
from accords.graph.timeline import over_time  # noqa: E402
from accords.graph.validation import Validator  # noqa: E402


def drafts(n: int) -> list[Draft]:
    return [Draft(e["type"], e["body"], e.get("key")) for e in generate.events(n, 1)]


def fresh_log(folder: str, name: str) -> Log:
    return Log(open_store(os.path.join(folder, name), create=True), "bench")


def projection_of(folder: str, n: int) -> tuple[Log, Projection]:
    log = fresh_log(folder, f"p{n}.db")
    log.append(drafts(n))
    projection = Projection.memory()
    projection.fold(log.read())
    return log, projection


def full_validation(folder: str, baselines: list[int], n: int, limit: float) -> None:
    print(f"\n1. Full validation (graph shapes over the projection); pyshacl stopped after {limit:.0f} s")
    for size in baselines + [n]:
        _log, projection = projection_of(folder, size)
        seconds, results = timed(Validator(projection.store).validate)
        print(
            f"   {size:>7} events, {len(projection.store):>9} quads: accords {seconds:8.3f} s, {len(results)} results",
            flush=True,
        )
        dump = Path(folder, f"p{size}.nq")
        projection.store.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        del projection
        for on in ("rdflib", "oxigraph") if size in baselines else ("rdflib",):
            print(f"   {'':>7} pyshacl on {PEERS[on]}: {pyshacl_time(dump, on, limit, seconds)}", flush=True)
        dump.unlink()


PEERS = {"rdflib": "an rdflib in-memory copy", "oxigraph": "the same dataset in an Oxigraph store"}


def pyshacl_time(dump: Path, on: str, limit: float, accords: float) -> str:
    """pyshacl over the dataset in dump, in a child process stopped after limit seconds
    of validation (loading not counted): its time and ratio to accords, or a lower bound."""
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=_pyshacl_child, args=(dump, on, child))
    process.start()
    try:
        loaded, loaded_cpu = parent.recv()
        if not parent.poll(limit):
            cpu = _cpu_seconds(process.pid) - loaded_cpu
            return (
                f"loaded in {loaded:.1f} s; not finished after {limit:.0f} s ({cpu:.0f} s of CPU)"
                f" (>= {limit / accords:,.1f}x accords)"
            )
        seconds, cpu, results = parent.recv()
        return (
            f"loaded in {loaded:.1f} s; {seconds:8.3f} s ({cpu:.1f} s of CPU), {results} results"
            f" ({seconds / accords:,.1f}x accords)"
        )
    finally:
        process.kill()
        process.join()


def _pyshacl_child(dump: Path, on: str, conn: Any) -> None:
    from importlib.resources import files

    from pyshacl import validate
    from rdflib import RDF, SH, Dataset, Graph

    shapes = Graph().parse(data=files("accords.ontology").joinpath("graph_shapes.ttl").read_text(), format="turtle")
    start = time.perf_counter()
    if on == "rdflib":
        data: Any = Dataset()
        data.parse(str(dump), format="nquads")
    else:
        data = ox.Store()
        data.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    conn.send((time.perf_counter() - start, time.process_time()))
    cpu = time.process_time()
    seconds, (_conforms, report, _text) = timed(lambda: validate(data, shacl_graph=shapes, advanced=True, inplace=True))
    conn.send((seconds, time.process_time() - cpu, len(set(report.subjects(RDF.type, SH.ValidationResult)))))


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def import_throughput(folder: str, n: int) -> None:
    print(f"\n2. Import throughput, {n} events into a fresh SQLite log (best of 2 each, alternating)")
    events = drafts(n)
    check = statement_checks.check_statement
    rates: dict[bool, list[float]] = {True: [], False: []}
    for run in range(4):
        on = run % 2 == 0
        statement_checks.check_statement = check if on else (lambda statement: None)
        try:
            log = fresh_log(folder, f"i{run}.db")
            seconds, _ = timed(lambda: log.append(events))
        finally:
            statement_checks.check_statement = check
        rates[on].append(n / seconds)
    on, off = max(rates[True]), max(rates[False])
    print(
        f"   with statement shapes {on:9,.0f} events/s; without {off:9,.0f} events/s; ratio {on / off:.2f} (target >= 0.5)"
    )


def per_event(folder: str, n: int) -> None:
    print(f"\n3. validate --over-time on {n} events (incremental)")
    log = fresh_log(folder, "o.db")
    log.append(drafts(n))
    costs: list[float] = []
    last = [time.perf_counter()]

    def after(_timeline: Any, _event: Any) -> None:
        now = time.perf_counter()
        costs.append(now - last[0])
        last[0] = now
        if len(costs) % (n // 10 or 1) == 0:  # a tenth of the history: its median, on stderr
            tenth = costs[-(n // 10 or 1) :]
            print(
                f"   {len(costs):>9} events: median of the last {len(tenth)} {statistics.median(tenth) * 1000:.2f} ms",
                file=sys.stderr,
                flush=True,
            )

    seconds, spans = timed(lambda: over_time(log.read(), after=after))
    # how the cost grows with the history: the median of each quarter of the events
    quarters = [statistics.median(costs[i * n // 4 : (i + 1) * n // 4]) * 1000 for i in range(4)]
    costs.sort()
    print(
        f"   {seconds:.1f} s in all, {len(spans)} findings; per event (fold + re-check):"
        f" median {statistics.median(costs) * 1000:.2f} ms, p90 {costs[int(len(costs) * 0.9)] * 1000:.2f} ms,"
        f" max {costs[-1] * 1000:.0f} ms (target median <= 10 ms);"
        f" median by quarter of the history {', '.join(f'{q:.2f}' for q in quarters)} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument(
        "--baseline-events",
        default="50,100,200",
        help="smaller sizes (comma-separated) validated first, pyshacl also on Oxigraph",
    )
    parser.add_argument(
        "--pyshacl-limit",
        type=float,
        default=3600,
        help="seconds of validation after which pyshacl is stopped and a lower bound reported",
    )
    parser.add_argument("--import-events", type=int, default=20_000)
    parser.add_argument("--over-time-events", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:  # a part given 0 events is skipped
        if args.import_events:
            import_throughput(folder, args.import_events)
        if args.over_time_events:
            per_event(folder, args.over_time_events)
        if args.events:
            baselines = [int(b) for b in args.baseline_events.split(",") if b]
            full_validation(folder, baselines, args.events, args.pyshacl_limit)


if __name__ == "__main__":
    main()
