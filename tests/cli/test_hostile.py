"""Hostile input and output, through the installed accords command: control characters of
the data reach a terminal as escapes, a CSV or TSV cell never runs as a spreadsheet
formula, JSON stays exact, a query does not reach the network unasked, an argument that is
not UTF-8 is bad input. Each hostile case has a harmless twin."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
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
    assert _run(folder, "import", "in.jsonl").returncode == 2  # control characters are refused today
    # ...but a log written before that rule holds them: written here by accords with the rule off
    older = "import re, sys; import accords.events.canonical as c; c._REFUSED = re.compile('(?!)'); from accords.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", older, "import", "in.jsonl"], cwd=folder, capture_output=True, text=True
    )
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


def test_a_sort_the_engine_cannot_make_is_bad_input_not_an_abort(tmp_path: Path) -> None:
    """Oxigraph aborts its process on an ORDER BY over values it cannot order among
    themselves (text, numbers, dates and IRIs in one sort key): the command says so, exit 2
    (or answers, once the engine sorts them), never exit 134 with a Rust backtrace."""
    seed = Path(__file__).parents[2] / "accords" / "seed" / "seed.jsonl"
    assert _run(tmp_path, "init").returncode == 0 and _run(tmp_path, "import", str(seed)).returncode == 0
    mixed = _run(tmp_path, "sparql", "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY DESC(?o)", "--format", "csv")
    assert mixed.returncode in (0, 2), mixed.stderr[-500:]
    assert mixed.returncode == 0 or mixed.stderr.startswith("error: the SPARQL engine could not sort the results")
    assert "panicked" not in mixed.stderr
    by_text = _run(tmp_path, "sparql", "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY DESC(STR(?o))")
    assert by_text.returncode == 0 and by_text.stderr == ""  # its harmless twin
    broken = _run(tmp_path, "sparql", "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o LIMIT x")
    assert broken.returncode == 2 and "SPARQL syntax error" in broken.stderr  # the child's own errors, passed on


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


# -- bad input: each hostile file refused (exit 2, naming where, nothing written), its twin accepted

_SOURCE = {"title": "US and Eswatini sign a deal", "kind": "news", "published": "2025-07-16"}
_STANCE = {"@type": "Stance", "state": "state/SZ", "position": "denied", "on": ["agreement/us-sz"]}


def _source(key: str, **changes: object) -> dict[str, object]:
    return {
        "type": "SourceRegistered",
        "key": key,
        "body": {**_SOURCE, "title": f"{key}: {_SOURCE['title']}", **changes},
    }


def _claim(key: str, statement: object) -> dict[str, object]:
    body = {
        "source": "src-base",
        "quote": f"Eswatini denied it ({key}).",
        "attributed_to": "the government",
        "certainty": "reported",
    }
    body["statement"] = statement
    return {"type": "ClaimRecorded", "key": key, "body": body}


def _line(event: object) -> bytes:
    return json.dumps(event, ensure_ascii=False).encode() + b"\n"


def _nested(depth: int) -> object:
    return json.loads("[" * depth + "]" * depth)


_LAUGHS = b"type: SourceRegistered\nkey: s-yaml\nbody:\n  kind: news\n  note: &a lol\n  title: *a\n"

# name: (file name, hostile bytes, what the refusal says, harmless twin bytes)
BAD_INPUT = {
    "NUL in a title": (
        "x.jsonl",
        _line(_source("s-nul", title="a\x00b")),
        "body.title: holds U+0000",
        _line(_source("s-nul", title="a\tb")),
    ),
    "a noncharacter": (
        "x.jsonl",
        _line(_source("s-nc", title="a\uffffb")),
        "holds U+FFFF",
        _line(_source("s-nc", title="a\u00e9b")),
    ),
    "ESC in a statement": (
        "x.jsonl",
        _line(_claim("c-esc", {**_STANCE, "description": "\x1b[2J"})),
        "body.statement.description: holds U+001B",
        _line(_claim("c-esc", {**_STANCE, "description": "said so\non 16 July"})),
    ),
    "bytes not UTF-8": (
        "x.jsonl",
        b'{"type": "SourceRegistered", "key": "s-\xff"}\n',
        "not UTF-8",
        _line(_source("s-utf8", title="\u00ff")),
    ),
    "nesting 300 deep": (
        "x.json",
        _line(_claim("c-deep", {**_STANCE, "description": _nested(300)})),
        "nests more than",
        _line(_claim("c-deep", {**_STANCE, "description": "flat"})),
    ),
    "nesting 900 deep": ("x.jsonl", b"[" * 900 + b"]" * 900 + b"\n", "nests more than", _line(_source("s-900"))),
    "a YAML alias": ("x.yaml", _LAUGHS, "x.yaml:6: an alias (*name) is refused", _LAUGHS.replace(b"*a", b"lol")),
    "a YAML key twice": (
        "x.yaml",
        b"type: SourceRegistered\nkey: s-twice\nbody:\n  title: A\n  title: B\n  kind: news\n",
        "x.yaml:5: title: given twice",
        b"type: SourceRegistered\nkey: s-twice\nbody:\n  title: A\n  kind: news\n",
    ),
    "a JSON key twice": (
        "x.jsonl",
        b'{"type": "SourceRegistered", "key": "s-a", "key": "s-b", "body": {"title": "J", "kind": "news"}}\n',
        "x.jsonl:1: key: given twice",
        b'{"type": "SourceRegistered", "key": "s-a", "body": {"title": "J", "kind": "news"}}\n',
    ),
    "a trailing comma in .json": (
        "x.json",
        b'{"type": "SourceRegistered", "key": "s-comma", "body": {"title": "T", "kind": "news",}}',
        "malformed JSON",
        b'{"type": "SourceRegistered", "key": "s-comma", "body": {"title": "T", "kind": "news"}}',
    ),
    "recorded_at a number": (  # the log stamps it (tests/cli/test_record_time.py: with an export's chain)
        "x.jsonl",
        _line({**_source("s-at"), "recorded_at": 5}),
        "recorded_at: given without the event's seq, prev and hash",
        _line(_source("s-at")),
    ),
    "an event of 2 MB": (
        "x.jsonl",
        _line(_source("s-big", note="x" * 2_000_000)),
        "longer than 1,048,576 bytes",
        _line(_source("s-big", note="x" * 100_000)),
    ),
    "a URL with a space": (
        "x.jsonl",
        _line(_source("s-url", url="https://e.org/a b")),
        "body.url",
        _line(_source("s-url", url="https://e.org/a%20b")),
    ),
    "a URL with quotes": (
        "x.jsonl",
        _line(_source("s-q", url='https://e.org/"a"')),
        "body.url",
        _line(_source("s-q", url="https://e.org/a?b=1#c")),
    ),
    "a URL with a newline": (
        "x.jsonl",
        _line(_source("s-nl", url="https://e.org/a\nb")),
        "body.url",
        _line(_source("s-nl", url="https://www.aljazeera.net/news/2025/7/16/\u062a\u0631\u062d\u064a\u0644")),
    ),
    "a bare http://": (
        "x.jsonl",
        _line(_source("s-bare", url="http://")),
        "is not an http(s) URL with a host",
        _line(_source("s-bare", url="http://e.org")),
    ),
    "@graph in a statement": (
        "x.jsonl",
        _line(_claim("c-graph", {**_STANCE, "@graph": [{"@id": "state/US"}]})),
        '"@graph": a JSON-LD keyword',
        _line(_claim("c-graph", _STANCE)),
    ),
    "@value in a statement": (
        "x.jsonl",
        _line(_claim("c-value", {**_STANCE, "description": {"@value": "x"}})),
        '"@value": a JSON-LD keyword',
        _line(_claim("c-value", {**_STANCE, "description": "x"})),
    ),
    "a stance named state/US": (
        "x.jsonl",
        _line(_claim("c-stance", {**_STANCE, "@id": "state/US"})),
        'state/US: @type Stance takes no "@id"',
        _line(_claim("c-stance", {**_STANCE, "toward": "state/US"})),
    ),
    "an agreement named as a transfer": (
        "x.jsonl",
        _line(_claim("c-folder", {"@id": "transfer/us-sz", "@type": "Agreement", "parties": ["state/US", "state/SZ"]})),
        '@type Agreement takes an "@id" in "agreement/"',
        _line(
            _claim("c-folder", {"@id": "agreement/us-sz", "@type": "Agreement", "parties": ["state/US", "state/SZ"]})
        ),
    ),
    "an empty @id": (
        "x.jsonl",
        _line(_claim("c-empty", {**_STANCE, "@id": ""})),
        "'' is not an identifier",
        _line(_claim("c-empty", _STANCE)),
    ),
    "a zero-width title": (
        "x.jsonl",
        _line(_source("s-zw", title="\u200b\u200c\u2060")),
        "body.title: expected text with something to read",
        _line(_source("s-zw", title="\u0915\u094d\u200d\u0937 deal")),  # a joiner inside real text
    ),
    "a property by its vocabulary name": (
        "x.jsonl",
        _line(_claim("c-party", {"@id": "agreement/us-sz", "@type": "Agreement", "party": ["state/US", "state/SZ"]})),
        'agreement/us-sz: no key "party": write "parties"',
        _line(_claim("c-party", {"@id": "agreement/us-sz", "@type": "Agreement", "parties": ["state/US", "state/SZ"]})),
    ),
    "a merge of an actor and a state": (
        "x.jsonl",
        _line(
            {"type": "EntitiesMerged", "body": {"entities": ["actor/x", "state/US"], "judged_by": "me", "reason": "r"}}
        ),
        "are not things of one kind",
        _line(
            {"type": "EntitiesMerged", "body": {"entities": ["actor/x", "actor/y"], "judged_by": "me", "reason": "r"}}
        ),
    ),
}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    assert _run(folder, "init").returncode == 0
    (folder / "base.jsonl").write_bytes(_line(_source("src-base")))
    assert _run(folder, "import", "base.jsonl").returncode == 0
    return folder


@pytest.mark.parametrize("name", list(BAD_INPUT))
def test_bad_input_is_refused_naming_where_and_its_twin_is_recorded(inputs: Path, name: str) -> None:
    file, hostile, says, harmless = BAD_INPUT[name]
    command = "record" if file == "x.json" else "import"
    store = inputs / "accords.db"
    before = store.read_bytes()
    (inputs / file).write_bytes(hostile)
    refused = _run(inputs, command, file)
    assert refused.returncode == 2 and says in refused.stderr and file in refused.stderr, refused.stderr
    assert store.read_bytes() == before
    (inputs / file).write_bytes(harmless)
    done = _run(inputs, command, file)
    assert done.returncode == 0, done.stderr


def test_a_field_given_twice_is_refused(inputs: Path) -> None:
    record = ["record", "--type", "SourceRegistered", "--key", "s-f", "-f", "kind=news"]
    refused = _run(inputs, *record, "-f", "title=F", "-f", "title=G")
    assert refused.returncode == 2 and "--field title: given twice" in refused.stderr
    assert _run(inputs, *record, "-f", "title=F").returncode == 0
