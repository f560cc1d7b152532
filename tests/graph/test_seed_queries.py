"""Every named query on the seed record, with the rows it must answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from accords.events.files import read_events
from accords.events.log import Log
from accords.events.backends import open_store
from accords.graph.projection import Projection, View, open_projection
from accords.graph.sparql import run
from accords.graph.terms import short
from accords.queries.library import library, prepared, sparql_value


def term_text(term: Any) -> str | None:
    """A result term as a cell: literals by value, IRIs shortened."""
    if term is None:
        return None
    return short(term.value) if isinstance(term, ox.NamedNode) else term.value


SEED = Path(__file__).parents[2] / "accords" / "seed" / "seed.jsonl"
ALL_BUT_THE_CABLE = {
    "c-rwanda-paid",
    "c-rwanda-agreement",
    "c-costa-rica-hosts",
    "c-kosovo-hosts",
    "c-target-58-states",
    "c-mx-formalized",
    "c-gt-formalized",
    "c-sv-formalized",
    "c-pa-formalized",
    "c-peru-resists",
    "c-ly-explored",
    "c-ss-explored",
    "c-ly-conditions",
    "c-ss-conditions",
}

# query -> (the columns compared, the rows expected with the default parameters)
EXPECTED: dict[str, tuple[tuple[str, ...], set[tuple[str | None, ...]]]] = {
    "agreements-before": (("agreement", "what"), set()),  # the seed report dates no agreement before June 2025
    "agreements-by-state": (("agreement", "other", "status"), {("agreement/us-rw", "United States", "reported")}),
    "anonymous-claims": (("key",), {(k,) for k in ALL_BUT_THE_CABLE}),
    "changes-between": (
        ("key", "change"),
        {(k, "recorded") for k in ALL_BUT_THE_CABLE | {"c-cable-nine-states", "c-cable-criminal-records"}},
    ),
    "caps-and-quotas": (("thing",), set()),  # the seed report gives Kosovo no number with a role
    "claims-by-outlet": (("key",), set()),  # the seed report names no publisher
    "contradictions": (("subject",), set()),
    "court-rulings": (("ruling",), set()),  # the seed reports no ruling
    "latest-word": (("side",), set()),  # one report: no side's word is later than another
    "payments": (
        ("payment", "payer", "payee", "purpose"),
        {("payment/us-rw", "United States", "Rwanda", "taking in deportees")},
    ),
    "retracted-claims": (("key",), set()),
    "shared-upstream": (("upstream",), set()),
    "single-source-claims": (  # the seed is one report: every fact it states rests on it alone
        ("subject", "property", "value"),
        {
            *(
                (f"agreement/us-{s}", p, v)
                for s in ("cr", "xk")
                for p, v in (("caseByCase", "true"), ("status", "reported"))
            ),
            *((f"agreement/us-{s}", "type", "Agreement") for s in ("cr", "rw", "xk")),
            ("agreement/us-rw", "compensated", "true"),
            ("agreement/us-rw", "status", "reported"),
            *(
                (f"[Stance state=state/{s} toward=state/US]", p, v)
                for s in ("GT", "MX", "PA", "SV")
                for p, v in (("formal", "true"), ("position", "willing"))
            ),
            ("[Stance state=state/PE toward=state/US]", "position", "resisting"),
            ("[Stance state=state/US toward=state/LY]", "position", "considering"),
            ("[Stance state=state/US toward=state/SS]", "position", "considering"),
            ("payment/us-rw", "type", "Payment"),
            ("request/us-cable-2025", "criminalRecords", "true"),
            ("request/us-cable-2025", "requestedCount", "at least nine"),
            ("request/us-cable-2025", "type", "Request"),
            ("target/us-58-states", "count", "at least 58"),
            ("target/us-58-states", "deadline", "../2025-06-30"),
        },
    ),
    "state-timeline": (
        ("key", "type", "status"),
        {("c-rwanda-paid", "Payment", "active"), ("c-rwanda-agreement", "Agreement", "active")},
    ),
    "states-asked-not-agreed": (
        ("state", "how", "position"),
        {
            ("state/LY", "considered as a destination", None),
            ("state/SS", "considered as a destination", None),
            ("state/PE", "took a position", "resisting"),
        },
    ),
    "transfers-without-agreement": (("transfer",), set()),
    "claims-on-flagged-sources": (("key",), set()),  # the seed assesses no source
}


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory: pytest.TempPathFactory) -> Projection:
    folder = tmp_path_factory.mktemp("seed")
    log = Log(open_store(str(folder / "seed.db"), create=True), "tester")
    with SEED.open("rb") as stream:
        log.append(read_events(stream, "seed"))
    return open_projection(log.store, folder / "graph")


def test_every_sparql_query_has_expected_rows() -> None:
    assert {q.name for q in library().values() if q.sparql} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_named_query_on_the_seed(name: str, seed_graph: Projection) -> None:
    named = library()[name]
    bindings = {p.name: sparql_value(p, p.default) for p in named.params if p.default}
    columns, expected = EXPECTED[name]
    result = run(seed_graph, prepared(named, View(), bindings))
    rows = {tuple(term_text(s[c]) for c in columns) for s in result}
    assert rows == expected
