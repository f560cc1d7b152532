"""accords serve against the record asked in-process, on one store: for each named query,
the median time of Record.query (in this process, the peer) and of GET /query/NAME (an
HTTP client in this process, the server and its workers in others), and their ratio;
the latency of each page (p50, p95); then the throughput of 20 clients at once, each
asking the named queries in turn.

    python bench/serve_bench.py STORE [--repeat 10] [--page-repeat 20] [--pages /,/state/XK]
                                      [--clients 20] [--seconds 20]

STORE is a store with its projection built (e.g. bench/generate.py 25000, imported, one
read). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox

import accords
from accords.queries.library import library


def _serve(store: str) -> tuple[subprocess.Popen[str], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        ["accords", "serve", "--store", store, "--port", str(port), "--timeout", "600", "--limit", "10000000"],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stderr is not None and "accords serve: http" in server.stderr.readline()
    return server, f"http://127.0.0.1:{port}"


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=600) as answer:
        return bytes(answer.read())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--page-repeat", type=int, default=20)
    parser.add_argument(
        "--pages",
        default="/?q=Kosovo,/state/XK,/state/US,/claim/c-0000100,/entity/agreement/dk-uz,/disagreements,/findings,/log",
        help="the pages to time (p50 and p95 of --page-repeat requests each)",
    )
    args = parser.parse_args()
    record = accords.open(Path(args.store))
    names = [n for n, q in sorted(library().items()) if q.sparql is not None]
    server, base = _serve(args.store)
    try:
        for name in names:
            _get(f"{base}/query/{name}")  # each worker's first answer opens the graph
            _get(f"{base}/query/{name}")
            local, http = [], []
            for _ in range(args.repeat):
                start = time.perf_counter()
                answer = record.query(name)
                answer.results.serialize(format=ox.QueryResultsFormat.JSON)
                local.append(time.perf_counter() - start)
                start = time.perf_counter()
                _get(f"{base}/query/{name}")
                http.append(time.perf_counter() - start)
            a, b = statistics.median(local), statistics.median(http)
            print(f"{name:28} in-process {a:7.3f} s   /query {b:7.3f} s   ratio {b / a:5.2f}", flush=True)
        for page in args.pages.split(","):
            _get(base + page)
            spent = []
            for _ in range(args.page_repeat):
                start = time.perf_counter()
                _get(base + page)
                spent.append(time.perf_counter() - start)
            p50, p95 = statistics.median(spent), statistics.quantiles(spent, n=20)[-1]
            print(f"page {page:40} p50 {p50 * 1000:7.0f} ms   p95 {p95 * 1000:7.0f} ms", flush=True)
        done = [0]
        deadline = time.monotonic() + args.seconds

        def client(i: int) -> None:
            while time.monotonic() < deadline:
                _get(f"{base}/query/{names[(i + done[0]) % len(names)]}")
                done[0] += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        spent = time.perf_counter() - start
        print(f"{args.clients} clients: {done[0]} answers in {spent:.1f} s = {done[0] / spent:.2f} answers/s")
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
