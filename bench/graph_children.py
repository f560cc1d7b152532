"""The parts of bench/graph_bench.py that run in a child process of their own, so that its
peak RSS (wait4) is theirs alone: `python bench/graph_children.py MODE ARGS...`, each
printing its figures as JSON lines."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from figures import timed


def emit(**data: Any) -> None:
    print(json.dumps(data), flush=True)


def main(mode: str, args: list[str]) -> None:
    import pyoxigraph as ox

    from accords.events.sqlite import SqliteRecorder
    from accords.graph.projection import Projection, open_projection

    if mode == "baseline":  # what the imports alone cost in RSS
        import accords.graph.sparql  # noqa: F401

        emit(ok=1)
    elif mode == "project":  # accords: the persistent projection from empty
        store, graph = args
        recorder = SqliteRecorder(store)
        cpu = time.process_time()
        seconds, projection = timed(lambda: open_projection(recorder, Path(graph)))
        emit(seconds=seconds, cpu=time.process_time() - cpu, quads=len(projection.store), head=projection.head().seq)
    elif mode == "memory":  # the in-memory fold (what a folded --as-of view costs)
        (store,) = args
        recorder = SqliteRecorder(store)
        projection = Projection.memory()
        seconds, head = timed(lambda: projection.fold(recorder.read()))
        emit(seconds=seconds, quads=len(projection.store), head=head.seq)
    elif mode == "plain":  # peer: plain pyoxigraph bulk load of the same quads
        nquads, path, how = args
        if how == "bulk_extend":
            quads = list(ox.parse(path=nquads, format=ox.RdfFormat.N_QUADS))  # before the clock

            def load() -> int:
                s = ox.Store(path)
                s.bulk_extend(quads)
                s.flush()
                return len(s)
        else:

            def load() -> int:
                s = ox.Store(path)
                s.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
                s.flush()
                return len(s)

        cpu = time.process_time()
        seconds, count = timed(load)
        emit(seconds=seconds, cpu=time.process_time() - cpu, quads=count)
    elif mode == "query":  # one named query, current and as-of alternating
        from accords.graph.projection import View
        from accords.graph.sparql import run
        from accords.queries.library import bind, library, sparql_value

        store, graph, name, params_json, as_of, runs = args
        recorder = SqliteRecorder(store)
        projection = open_projection(recorder, Path(graph))
        named = library()[name]
        assert named.sparql is not None
        text: str = named.sparql
        by_name = {p.name: p for p in named.params}
        bindings = {k: sparql_value(by_name[k], v) for k, v in bind(named, json.loads(params_json)).items()}
        for i in range(int(runs)):
            for label, at in (("current", View()), ("as_of", View(as_of=int(as_of)))):
                seconds, rows = timed(lambda: consume(run(projection, text, bindings, at)))
                emit(view=label, run=i, seconds=seconds, rows=rows)
    else:
        raise SystemExit(f"unknown child mode {mode}")


def consume(results: Any) -> int:
    """Read every value of every solution (or triple); the number of rows."""
    import pyoxigraph as ox

    if isinstance(results, ox.QueryBoolean):
        return int(bool(results))
    if isinstance(results, ox.QueryTriples):
        return sum(1 for _ in results)
    names = list(results.variables)
    rows = 0
    for solution in results:
        for v in names:
            solution[v]
        rows += 1
    return rows


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
