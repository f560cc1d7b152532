"""Derivations in both projections: wire copy declared through its agency ("actor/afp"),
and a derivation judged and undone (DerivationJudged, DerivationUndone). At each point of
record time the SPARQL and Cypher forms count independent sources alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.neo4j_projection.test_projection import assert_agree

FIXTURES = Path(__file__).parents[1] / "graph" / "fixtures" / "single-source"


def test_the_engines_count_wire_copy_through_an_agency_alike(accords: Any) -> None:
    accords.ok("import", str(FIXTURES / "wire-copy-through-agency.jsonl"))
    accords.ok("project", "neo4j")
    # the payment's existence, amount and currency (two outlets carrying AFP), the agreement's existence and status
    assert assert_agree(accords, "single-source-claims", [], []) == 5
    assert assert_agree(accords, "shared-upstream", [], []) == 1


def test_the_engines_follow_a_judged_derivation_and_its_undo_alike(accords: Any) -> None:
    """A page judged at seq 7 to carry AFP's copy, undone at seq 8: at each point of record
    time the engines count its sources alike (the Cypher forms read each link's seqs)."""
    accords.ok("import", str(FIXTURES / "wire-copy-judged.jsonl"))
    accords.ok("sources", "derive", "s-post", "actor/afp", "--reason", "the same text as AFP's", "--key", "j-post")
    accords.ok("sources", "undo", "j-post", "--reason", "the credit was the photo's")
    accords.ok("project", "neo4j")
    points = [[], ["--as-of", "6"], ["--as-of", "7"], ["--as-of", "8"]]
    # the 10 million (one page); while the judgement stands, the 7.85 million too (AFP's copy twice)
    assert [assert_agree(accords, "single-source-claims", [], clocks) for clocks in points] == [1, 1, 2, 1]
    assert [assert_agree(accords, "shared-upstream", [], clocks) for clocks in points] == [0, 0, 1, 0]
