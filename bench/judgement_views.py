"""A view's judgement made from the kept one, against the same view judged whole, in process.

    python bench/judgement_views.py STORE

STORE: an accords store (e.g. bench/generate.py 25000, imported). For each of five views of
the clocks, the contradictions query run whole with the view's clocks on the projection
(the peer), and graph/judgement.py in_view (what `accords query contradictions` with the
clocks does); the rows are compared, and both times printed (one run each, in turn).
"""

from __future__ import annotations

import datetime as dt
import sys
import time

import accords
from accords.graph import judgement
from accords.graph.projection import View, open_projection
from accords.queries.library import get, prepared


def rows(results: object) -> list[tuple[str, str, str, str, frozenset[str]]]:
    return sorted(
        (s.value, p.value, k.value, judgement.in_order(sd.value), frozenset(c.value.split()))
        for s, p, k, sd, c in results  # type: ignore[attr-defined]
    )


def main() -> None:
    record = accords.open(sys.argv[1])
    store = open_projection(record.recorder, judged=True).store  # keeps the judgement (once)
    head = record.head.seq
    views = [
        View(head // 2),
        View(head * 4 // 5),
        View(None, dt.date(2025, 7, 15)),
        View(None, None, dt.date(2025, 6, 30)),
        View(head // 8, dt.date(2025, 9, 1), dt.date(2025, 3, 1)),
    ]
    print(f"{head:,} events; seconds, in process")
    for at in views:
        start = time.perf_counter()
        whole = rows(store.query(prepared(get(judgement.QUERY), at, {})))
        whole_s = time.perf_counter() - start
        start = time.perf_counter()
        kept = rows(judgement.in_view(store, at).query(judgement.KEPT_ROWS))
        kept_s = time.perf_counter() - start
        same = "same rows" if kept == whole else "ROWS DIFFER"
        print(f"{at}: judged whole {whole_s:6.2f}  from the kept judgement {kept_s:6.2f}  {len(kept):,} rows, {same}")


if __name__ == "__main__":
    main()
