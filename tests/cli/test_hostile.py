"""Hostile input and output, through the installed accords command: control characters of
the data reach a terminal as escapes, a CSV or TSV cell never runs as a spreadsheet
formula, JSON stays exact, a query does not reach the network unasked, an argument that is
not UTF-8 is bad input. Each hostile case has a harmless twin."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

CLEAR, TITLE, LINK = "\x1b[2J", "\x1b]0;owned\x07", "\x1b]8;;https://example.com/x\x1b\\here\x1b]8;;\x1b\\"
HOSTILE_TITLE = f"Deal signed{CLEAR}{TITLE}{LINK} \u202eexe.gnp"
FORMULA = '=HYPERLINK("https://example.com/x","click")'
QUOTE = "Officials said 2 + 2 = 4\tand that -5 was a typo."  # a real =, + and tab inside: left alone


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["accords", *args], cwd=folder, capture_output=True, text=True)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    events = [
        {
            "type": "SourceRegistered",
            "key": "src-bad",
            "body": {"title": HOSTILE_TITLE, "publisher": FORMULA, "kind": "news"},
        },
        {
            "type": "SourceRegistered",
            "key": "src-fine",
            "body": {"title": "a = b, said the minister", "publisher": "Outlet", "kind": "news"},
        },
        {
            "type": "ClaimRecorded",
            "key": "c-bad",
            "body": {
                "source": "src-bad",
                "quote": QUOTE,
                "attributed_to": f"-{CLEAR}an official",
                "certainty": "reported",
                "statement": {"@id": "agreement/us-gh", "@type": "Agreement", "parties": ["state/US", "state/GH"]},
            },
        },
    ]
    (folder / "in.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    bad = {"type": "SourceRegistered", "key": "s-x", "body": {"title": "T", "kind": "news", f"{TITLE}field": 1}}
    (folder / "bad-field.jsonl").write_text(json.dumps(bad) + "\n", encoding="utf-8")
    assert _run(folder, "init").returncode == 0
    done = _run(folder, "import", "in.jsonl")
    assert done.returncode == 0, done.stderr
    return folder


@pytest.mark.parametrize(
    "args",
    [
        ["log", "--format", "table"],
        ["trace", "agreement/us-gh", "--format", "table"],
        ["trace", "c-bad", "--format", "table"],
        ["replay", "--format", "table"],
        ["query", "claims-by-outlet", "--param", f"publisher={FORMULA}", "--format", "table"],
        ["sparql", "SELECT ?t WHERE { GRAPH graph:provenance { ?s dcterms:title ?t } }", "--format", "table"],
        ["import", "bad-field.jsonl"],  # an error that names the field it refuses
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_control_characters_reach_the_terminal_as_escapes(folder: Path, args: list[str]) -> None:
    done = _run(folder, *args)
    printed = done.stdout + done.stderr
    assert "\x1b" not in printed and "\x07" not in printed and "\u202e" not in printed, printed
    assert done.returncode == (2 if args[0] == "import" else 0), done.stderr
    assert "\\x1b" in printed, printed  # shown, not dropped


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_a_cell_never_runs_as_a_formula_and_its_harmless_twin_is_left_alone(folder: Path, fmt: str) -> None:
    query = "SELECT ?key ?title ?publisher WHERE { GRAPH graph:provenance { ?s acc:key ?key ; dcterms:title ?title ; dcterms:publisher/rdfs:label ?publisher } } ORDER BY ?key"
    done = _run(folder, "sparql", query, "--format", fmt)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout), delimiter="," if fmt == "csv" else "\t"))
    by_key = {r["key"]: r for r in rows}
    assert by_key["src-bad"]["publisher"] == "'" + FORMULA
    assert by_key["src-fine"]["title"] == "a = b, said the minister"
    quotes = _run(folder, "sparql", "SELECT ?q WHERE { GRAPH graph:provenance { ?c acc:quote ?q } }", "--format", fmt)
    [row] = list(csv.DictReader(io.StringIO(quotes.stdout), delimiter="," if fmt == "csv" else "\t"))
    assert row["q"] == QUOTE  # a tab inside a quoted cell, a + and = inside: the text as it is
    log = _run(folder, "log", "--format", fmt)
    assert "\n=" not in log.stdout and f"{fmt == 'csv' and ',' or chr(9)}=" not in log.stdout


def test_json_stays_exact(folder: Path) -> None:
    done = _run(
        folder, "sparql", "SELECT ?t WHERE { GRAPH graph:provenance { ?s dcterms:title ?t } }", "--format", "json"
    )
    titles = {b["t"]["value"] for b in json.loads(done.stdout)["results"]["bindings"]}
    assert HOSTILE_TITLE in titles
    shown = json.loads(_run(folder, "show", "src-bad").stdout)
    assert shown["body"]["publisher"] == FORMULA


def test_a_query_cannot_reach_the_network_unless_told(folder: Path) -> None:
    calling = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    refused = _run(folder, "sparql", calling)
    assert refused.returncode == 2 and "SERVICE" in refused.stderr and "--allow-service" in refused.stderr
    nested = "SELECT * WHERE { { SELECT ?s WHERE { service <http://127.0.0.1:9/x> { ?s ?p ?o } } } }"
    assert _run(folder, "sparql", nested).returncode == 2
    # harmless twins: the word in a string, in a comment, in an IRI
    for harmless in (
        'SELECT ?t WHERE { GRAPH graph:provenance { ?s dcterms:title ?t } FILTER (?t != "SERVICE <http://x>") }',
        "SELECT ?t WHERE { GRAPH graph:provenance { ?s dcterms:title ?t } }  # no SERVICE here",
        "SELECT ?s WHERE { ?s <http://example.com/SERVICE> ?o }",
    ):
        done = _run(folder, "sparql", harmless, "--format", "json")
        assert done.returncode == 0, (harmless, done.stderr)


def test_an_argument_that_is_not_utf8_is_bad_input_and_writes_nothing(folder: Path) -> None:
    before = _run(folder, "log", "--format", "jsonl").stdout
    record = ["record", "--type", "SourceRegistered", "-f", "kind=news"]
    refused = subprocess.run(
        ["accords", *record, "--key", b"src-\xff".decode("utf-8", "surrogateescape"), "-f", "title=T"],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2 and "not valid UTF-8" in refused.stderr and "argument" in refused.stderr
    assert _run(folder, "log", "--format", "jsonl").stdout == before
    fine = _run(folder, *record, "--key", "src-utf8", "-f", "title=Acuerdo de tercer país seguro (EE.UU.–Ecuador)")
    assert fine.returncode == 0, fine.stderr


@pytest.mark.parametrize(
    ("published", "accepted"),
    [
        ("2025-00", False),  # month zero, once read as the whole year
        ("2025-06-00", False),  # day zero, once read as the whole month
        ("\u0662\u0660\u0662\u0665-\u0660\u0666-\u0660\u0661", False),  # Arabic-Indic digits
        ("\u0665 August \u0662\u0660\u0662\u0665", False),
        ("2025-06", True),
        ("2025-06-01", True),
        ("5 August 2025", True),
    ],
)
def test_a_date_is_a_calendar_date_in_ascii_digits(tmp_path: Path, published: str, accepted: bool) -> None:
    assert _run(tmp_path, "init").returncode == 0
    source = {"type": "SourceRegistered", "key": "s", "body": {"title": "T", "kind": "news", "published": published}}
    (tmp_path / "in.jsonl").write_text(json.dumps(source, ensure_ascii=False) + "\n", encoding="utf-8")
    done = _run(tmp_path, "import", "in.jsonl")
    assert done.returncode == (0 if accepted else 2), done.stderr
    assert accepted or (
        "in.jsonl:1: body.published" in done.stderr and _run(tmp_path, "log", "--format", "jsonl").stdout == ""
    )
