"""Single source per fact: a thing, a property the judgement compares and one value,
counted in independent sources (a reprint of a report is that report again)."""

from __future__ import annotations

from pathlib import Path

import accords

FIXTURE = Path(__file__).parent / "fixtures" / "single-source" / "payment-one-page.jsonl"


def _claim(key: str, source: str, amount: str) -> dict[str, object]:
    statement = {"@id": "payment/us-gh", "@type": "Payment", "currency": "USD", "amount": amount}
    body = {"source": source, "quote": f"quote of {key}", "attributed_to": "officials", "certainty": "reported"}
    return {"type": "ClaimRecorded", "key": key, "body": body | {"statement": statement}}


def _facts(record: accords.Record) -> dict[tuple[str, str, str], tuple[str, str]]:
    rows = record.query("single-source-claims").rows()
    return {(r["subject"], r["property"], str(r["value"])): (r["claims"], r["source"]) for r in rows}


def test_a_fact_one_page_reports_is_listed_though_others_report_its_agreement(tmp_path: Path) -> None:
    record = accords.open(tmp_path / "store.db", create=True, recorded_by="tester")
    list(record.import_files([FIXTURE]))
    facts = _facts(record)
    # the amount: page A and its reprint, one report
    assert facts[("payment/us-gh", "amount", "7.85 million")] == ("c-a c-a-wire", "Outlet A report")
    assert facts[("payment/us-gh", "type", "Payment")] == ("c-a c-a-wire", "Outlet A report")
    assert facts[("agreement/us-gh", "status", "signed")] == ("c-b", "Outlet B report")
    # that the agreement exists: pages A and B, two independent sources
    assert ("agreement/us-gh", "type", "Agreement") not in facts

    # an independent page giving the same amount; another giving a different one
    record.append(
        [
            {
                "type": "SourceRegistered",
                "key": "s-d",
                "body": {"title": "Outlet D", "kind": "news", "published": "2025-09-07"},
            },
            _claim("c-d", "s-d", "7.85 million"),
            _claim("c-d2", "s-d", "10 million"),
        ]
    )
    facts = _facts(record)
    assert ("payment/us-gh", "amount", "7.85 million") not in facts
    assert ("payment/us-gh", "type", "Payment") not in facts
    assert facts[("payment/us-gh", "amount", "10 million")] == ("c-d2", "Outlet D")
    # as the record stood before: the view of the clocks
    before = {
        (r["subject"], r["property"], str(r["value"])) for r in record.query("single-source-claims", as_of=6).rows()
    }
    assert ("payment/us-gh", "amount", "7.85 million") in before


def test_wire_copy_through_an_agency_counts_once(tmp_path: Path) -> None:
    """Two outlets carrying AFP's copy name the agency as what they derive from ("actor/afp"),
    no invented source: the amount both give rests on one independent source, AFP."""
    agency = FIXTURE.parent / "wire-copy-through-agency.jsonl"
    record = accords.open(tmp_path / "store.db", create=True, recorded_by="tester")
    list(record.import_files([agency]))
    facts = _facts(record)
    assert facts[("payment/us-gh", "amount", "7.85 million")] == ("c-post c-tribune", "actor/afp")
    assert facts[("agreement/us-gh", "status", "signed")] == ("c-own", "Outlet B report")
    assert record.trace("payment/us-gh").independent_sources == 1
    (group,) = record.query("shared-upstream").rows()
    assert (group["upstream"], group["upstream_title"], group["sources"]) == ("actor/afp", None, 2)
    assert group["titles"] == "Daily Tribune (AFP) | Morning Post: Ghana to be paid"
