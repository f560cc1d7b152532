"""What real pages say, through the installed accords command: each new form in, its bad twin out."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

SOURCE = {"type": "SourceRegistered", "key": "src", "body": {"title": "T", "publisher": "P", "kind": "wire"}}


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["accords", *args], cwd=folder, capture_output=True, text=True)


def _claim(key: str, statement: Any, **body: Any) -> dict[str, Any]:
    return {
        "type": "ClaimRecorded",
        "key": key,
        "body": {
            "source": "src",
            "quote": "q",
            "attributed_to": "a",
            "certainty": "reported",
            "statement": statement,
            **body,
        },
    }


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    assert _run(tmp_path, "init").returncode == 0
    return tmp_path


def _import(folder: Path, *events: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    (folder / "in.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    return _run(folder, "import", "in.jsonl")


def _rows(folder: Path, query: str, *clock: str) -> list[dict[str, str]]:
    done = _run(folder, "sparql", query, "--format", "json", *clock)
    assert done.returncode == 0, done.stderr
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(done.stdout)["results"]["bindings"]]


TRANSFER = {"@id": "transfer/us-gh-1", "@type": "Transfer", "from": "state/US", "to": "state/GH"}


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        (
            {**TRANSFER, "quantities": [{"number": 14, "role": "total"}, {"number": "about 30", "role": "subset"}]},
            "a subset of 'about 30' is more than its total of '14'",
        ),
        ({**TRANSFER, "quantities": [{"number": "up to 50", "role": "cap", "per": "yearly"}]}, '"per"'),
        (
            {"@id": "actor/x-ministry", "@type": "Actor", "name": "Ministry", "state": "state/Atlantis"},
            "unknown state 'Atlantis'",
        ),
        ({"@type": "Transfer", "from": "United States", "to": "state/GH"}, 'write "state/US"'),
        ({"@type": "Transfer", "from": "state/US"}, 'needs its "from" and "to"'),
        ([TRANSFER, {"@type": "Stance", "position": "willing"}], "[2] the statement: A stance needs whose it is"),
        ({**TRANSFER, "unknown": ["colour"]}, '"unknown" must name a key'),
        ({**TRANSFER, "arrived": "Thursdy"}, "\"arrived\": 'Thursdy' is not an EDTF date"),
    ],
)
def test_bad_input_in_a_new_form_exits_2_naming_file_line_and_field(folder: Path, statement: Any, words: str) -> None:
    done = _import(folder, SOURCE, _claim("c1", statement))
    assert done.returncode == 2
    assert "in.jsonl:2: body.statement" in done.stderr and words in done.stderr, done.stderr
    assert _run(folder, "log", "--format", "jsonl").stdout == ""  # nothing written, not even the source


def test_a_ministry_speaks_for_its_state_and_stays_distinguishable(folder: Path) -> None:
    ministry = {
        "@id": "actor/ug-foreign-ministry",
        "@type": "Actor",
        "name": "Ministry of Foreign Affairs",
        "actor_kind": "ministry",
        "state": "state/UG",
    }
    stance = {"@type": "Stance", "actor": "actor/ug-foreign-ministry", "position": "willing", "toward": "state/US"}
    assert _import(folder, SOURCE, _claim("c1", [ministry, stance])).returncode == 0
    rows = _rows(
        folder,
        "SELECT ?state ?actor ?position WHERE { ?s acc:actor ?actor ; acc:position ?position . "
        "?actor acc:state ?state }",
    )
    assert rows == [
        {
            "state": "https://w3id.org/accords/id/state/UG",
            "actor": "https://w3id.org/accords/id/actor/ug-foreign-ministry",
            "position": "https://w3id.org/accords/ns#willing",
        }
    ]


def test_the_several_dates_of_a_flight_each_have_bounds(folder: Path) -> None:
    flight = {
        **TRANSFER,
        "departed": "2025-07-04",
        "arrived": "2025-07-05",
        "announced": "2025-07-16",
        "status": "completed",
        "detained": True,
        "onward_to": ["state/TG"],
    }
    assert _import(folder, SOURCE, _claim("c1", flight)).returncode == 0
    rows = _rows(
        folder,
        "SELECT ?d ?a WHERE { ?t acc:departedDateLatest ?d ; acc:arrivedDateEarliest ?a ; "
        "acc:onwardTo <https://w3id.org/accords/id/state/TG> ; acc:status acc:completed }",
    )
    assert rows == [{"d": "2025-07-04", "a": "2025-07-05"}]


def test_an_undated_page_gives_a_weekday_that_another_page_can_contradict(folder: Path) -> None:
    ruling = {"@id": "ruling/gh-1", "@type": "CourtRuling", "court": "High Court", "next_hearing": "2025-09-25"}
    dated = {**SOURCE, "key": "src-dated", "body": {**SOURCE["body"], "published": "2025-08-23"}}
    events = [
        SOURCE,
        dated,
        _claim(
            "c-friday",
            {**ruling, "date": "friday", "quantities": [{"number": 3, "role": "running_total", "since": "2025-09-05"}]},
        ),
        _claim("c-22", {**ruling, "date": "22 August 2025"}, source="src-dated"),  # a Friday: they agree
        _claim("c-21", {**ruling, "date": "2025-08-21", "disclosed": "Thursday"}, source="src-dated"),
    ]
    assert _import(folder, *events).returncode == 0
    dates = "SELECT ?d WHERE { ?r acc:date ?d } ORDER BY ?d"
    assert _rows(folder, dates) == [{"d": "2025-08-21"}, {"d": "2025-08-22"}, {"d": "Friday"}]
    bounds = "SELECT ?p ?lo WHERE { VALUES ?p { acc:nextHearingDateEarliest acc:sinceEarliest } ?x ?p ?lo }"
    assert {r["lo"] for r in _rows(folder, bounds)} == {"2025-09-25", "2025-09-05"}
    done = _run(folder, "query", "contradictions", "--format", "json")
    [row] = [{k: v["value"] for k, v in b.items()} for b in json.loads(done.stdout)["results"]["bindings"]]
    assert row["property"].endswith("#date") and set(row["claims"].split()) == {"c-friday", "c-21", "c-22"}
    assert "Friday [c-friday" in row["sides"] and "2025-08-21 [c-21" in row["sides"]


def test_an_undated_page_is_known_from_the_day_it_was_recorded(folder: Path) -> None:
    undated = {**SOURCE, "body": {**SOURCE["body"], "note": "no date on the page"}}
    assert _import(folder, undated, _claim("c1", TRANSFER, note="the analyst's own sentence")).returncode == 0
    count = "SELECT (COUNT(?c) AS ?n) WHERE { GRAPH graph:provenance { ?c a acc:Claim } }"
    assert _rows(folder, count, "--known-by", "2025-12-31") == [{"n": "0"}]
    assert _rows(folder, count, "--known-by", "2100-01-01") == [{"n": "1"}]
    notes = _rows(folder, "SELECT ?note WHERE { GRAPH graph:provenance { ?c a acc:Claim ; schema:comment ?note } }")
    assert notes == [{"note": "the analyst's own sentence"}]
    validated = _run(folder, "validate", "--format", "json")
    assert validated.returncode == 0, validated.stdout  # an info, not a violation nobody can mend
    assert [f["severity"] for f in json.loads(validated.stdout) if f["path"] == "dcterms:issued"] == ["Info"]


def test_one_quote_states_several_facts_each_traced_to_it(folder: Path) -> None:
    pressure = {
        "@id": "pressure/us-gh-visas",
        "@type": "Pressure",
        "by": "state/US",
        "on": ["state/GH"],
        "instrument": "visa_restrictions",
        "stage": "lifted",
        "until": "until Ghana takes deportees",
    }
    payment = {
        "@id": "payment/us-gh",
        "@type": "Payment",
        "payer": "state/US",
        "payee": "state/GH",
        "amount": "undisclosed",
        "consideration": ["visa_relief"],
        "unknown": ["currency"],
    }
    lawsuit = {
        "@id": "lawsuit/gh-deportees",
        "@type": "Lawsuit",
        "by": ["actor/gh-lawyers"],
        "against": ["state/GH"],
        "status": "filed",
        "court": "High Court, Accra",
    }
    assert (
        _import(
            folder, SOURCE, _claim("c1", [pressure, payment, lawsuit], quote="Visas back, no cash, and a suit.")
        ).returncode
        == 0
    )
    for entity in ("pressure/us-gh-visas", "payment/us-gh", "lawsuit/gh-deportees"):
        traced = _run(folder, "trace", entity, "--format", "json")
        assert traced.returncode == 0, traced.stderr
        (claim,) = json.loads(traced.stdout)["claims"]
        assert (claim["key"], claim["quote"]) == ("c1", "Visas back, no cash, and a suit.")
    logged = _run(folder, "log", "--format", "jsonl")  # a regression: log read a statement as one object
    assert logged.returncode == 0 and 'Pressure+Payment+Lawsuit: \\"Visas back' in logged.stdout, (
        logged.stdout + logged.stderr
    )
    assert _run(folder, "replay", "--format", "json").returncode == 0
    rows = _rows(folder, "SELECT ?what ?unknown WHERE { ?p acc:consideration ?what ; acc:unknown ?unknown }")
    assert rows == [{"what": "https://w3id.org/accords/ns#visa_relief", "unknown": "https://schema.org/currency"}]


def test_trace_takes_a_claim_as_tables_print_it(folder: Path) -> None:
    assert _import(folder, SOURCE, _claim("c1", TRANSFER)).returncode == 0
    short = _rows(folder, "SELECT ?c WHERE { GRAPH graph:provenance { ?c acc:key 'c1' } }")[0]["c"].rsplit("/", 1)[1][
        :12
    ]
    traced = _run(folder, "trace", f"claim/{short}", "--format", "json")
    assert traced.returncode == 0, traced.stderr
    assert json.loads(traced.stdout)["claims"][0]["key"] == "c1"
    assert _run(folder, "trace", "claim/ffffffffffff").returncode == 2
