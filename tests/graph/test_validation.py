"""Graph shapes: fixtures as data, agreement with pyshacl, the crafted history, incremental
over-time results equal to a full validation at every step, and the validate command."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import Graph
from rdflib.namespace import SH

from accords.events.log import Draft, Log
from accords.events.backends import open_store
from accords.graph.projection import Projection
from accords.graph.judgement import SHAPE as DISAGREEMENT
from accords.graph.terms import ID, PREFIXES, acc
from accords.graph.timeline import Key, Span, key, over_time
from accords.graph.validation import Validator, builtin_shapes, prebound

FIXTURES = Path(__file__).parent / "fixtures" / "validation"
CASES = sorted(FIXTURES.glob("*/*/*.jsonl"))
SHAPES = "https://w3id.org/accords/shapes#"


def _name(path: Path) -> str:
    return f"{path.parts[-3]}/{path.parts[-2]}/{path.stem}"


def _build(tmp_path: Path, lines: list[dict[str, Any]]) -> tuple[Log, Projection]:
    log = Log(open_store(str(tmp_path / "a.db"), create=True), "tester")
    log.append([Draft(e["type"], e["body"], e.get("key")) for e in lines if "type" in e])
    projection = Projection.memory()
    projection.fold(log.read())
    for line in lines:  # tampering that no event can do, for the integrity shapes
        for op, quads in ((k, line[k]) for k in ("_add", "_remove") if k in line):
            parsed = list(ox.parse(quads.encode(), format=ox.RdfFormat.N_QUADS))
            for quad in parsed:
                (projection.store.add if op == "_add" else projection.store.remove)(quad)
    return log, projection


def _node(log: Log, text: str) -> str:
    kind, _, rest = text.partition(":")
    if kind in ("claim", "source"):
        return f"{ID}{kind}/{log.find(rest).id}"
    if kind in PREFIXES:
        return PREFIXES[kind] + rest
    return ID + text


def _simple(term: Any) -> str | None:
    return None if term is None else term.value if hasattr(term, "value") else str(term)


def _pyshacl(projection: Projection) -> set[tuple[Any, ...]]:
    shapes = Graph().parse(FIXTURES.parents[3] / "ontology" / "graph_shapes.ttl")
    _c, report, _t = pyshacl_validate(projection.store, shacl_graph=shapes, advanced=True, inplace=True)
    return {
        (
            _shape(report.value(r, SH.sourceShape)),
            str(report.value(r, SH.focusNode)),
            _str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.resultSeverity)).rsplit("#")[-1],
            _str(report.value(r, SH.value)),
        )
        for r in report.subjects(SH.resultSeverity, None)
    }


def _shape(term: Any) -> str:
    text = str(term)
    return text if text.startswith("http") else "_:"


def _str(term: Any) -> str | None:
    return None if term is None else str(term)


def test_every_graph_shape_has_fixtures() -> None:
    for graph_shape in builtin_shapes().shapes:
        name = graph_shape.shape.iri.removeprefix(SHAPES)
        assert list((FIXTURES / name / "conforming").glob("*.jsonl")), name
        assert list((FIXTURES / name / "nonconforming").glob("*.jsonl")), name


@pytest.mark.parametrize("path", CASES, ids=_name)
def test_fixture(tmp_path: Path, path: Path) -> None:
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    log, projection = _build(tmp_path, lines)
    results = Validator(projection.store).validate()
    (compiled,) = [g.shape for g in builtin_shapes().shapes if g.shape.iri == SHAPES + path.parts[-3]]
    mine = [r for r in results if r.shape in {compiled.iri} | {p.iri for p in compiled.properties}]
    if path.parts[-2] == "conforming":
        assert mine == [], mine
    else:
        expect = lines[0]["_expect"]
        foci = expect["focus"] if isinstance(expect["focus"], list) else [expect["focus"]]
        wanted = {_node(log, f) for f in foci}
        assert any(
            _simple(r.focus) in wanted
            and _simple(r.path) == _node(log, expect["path"])
            and r.severity == expect["severity"]
            for r in mine
        ), mine
        assert all(r.message and "{" not in r.message for r in mine)
    # the same results from pyshacl, reading the same Oxigraph store (disagreements are no shape's)
    ours = {
        (_shape(r.shape), _simple(r.focus), _simple(r.path), r.severity, _simple(r.value))
        for r in results
        if r.shape != DISAGREEMENT
    }
    assert ours == _pyshacl(projection)


# -- over time -------------------------------------------------------------------------


def _claim(key: str, statement: dict[str, Any], source: str = "s1", **extra: Any) -> Draft:
    body = {
        "source": source,
        "quote": f"quote {key}",
        "attributed_to": "officials",
        "certainty": "reported",
        "statement": statement,
        **extra,
    }
    return Draft("ClaimRecorded", body, key)


def _source(key: str, publisher: str | None = "Reuters", published: str | None = "2025-05-20") -> Draft:
    body: dict[str, Any] = {"title": key, "kind": "news"}
    if publisher:
        body["publisher"] = publisher
    if published:
        body["published"] = published
    return Draft("SourceRegistered", body, key)


def _agreement(id_: str, a: str, b: str, **terms: Any) -> dict[str, Any]:
    return {"@id": id_, "@type": "Agreement", "parties": [f"state/{a}", f"state/{b}"], **terms}


def _span(spans: list[Span], shape: str) -> Span:
    (found,) = [s for s in spans if s.result.shape == SHAPES + shape]
    return found


def test_crafted_history_introduced_and_resolved(tmp_path: Path) -> None:
    log = Log(open_store(str(tmp_path / "a.db"), create=True), "tester")
    log.append(
        [
            _source("s1"),
            _claim("signed", _agreement("agreement/us-rw", "US", "RW", status="signed", signed="2025-05-10")),
            _claim(
                "inforce-wrong", _agreement("agreement/us-rw", "US", "RW", signed="2025-05-10", in_force="2025-04-01")
            ),  # k = 3
            _claim(
                "transfer",
                {
                    "@id": "transfer/us-sv-1",
                    "@type": "Transfer",
                    "from": "state/US",
                    "to": "state/SV",
                    "date": "2025-03-15",
                },
            ),  # 4
            _claim("inforce-right", _agreement("agreement/us-rw", "US", "RW", in_force="2025-06-01")),
            Draft(
                "ClaimCorrected",
                {"claim": "inforce-wrong", "replacement": "inforce-right", "reason": "recording_error"},
            ),  # m = 6
            _claim("us-sv", _agreement("agreement/us-sv", "US", "SV", status="in_force", in_force="2024-12")),  # 7
            _claim("signed-later", _agreement("agreement/us-rw", "US", "RW", signed="2025-05-20")),  # 8
            Draft("ClaimRetracted", {"claim": "signed-later", "reason": "recording_error"}),  # 9
        ]
    )
    spans = over_time(log.read())
    lifecycle = _span(spans, "LifecycleShape")
    assert (lifecycle.introduced, lifecycle.resolved) == ((3, "inforce-wrong"), (6, None))
    transfer = _span(spans, "TransferAgreementShape")
    assert (transfer.introduced, transfer.resolved) == ((4, "transfer"), (7, "us-sv"))
    # two in-force and two signing dates: two accounts, not a violation, until corrected or retracted
    disagreements = {
        s.result.path: (s.introduced, s.resolved, s.result.severity) for s in spans if s.result.shape == DISAGREEMENT
    }
    assert disagreements == {
        acc("inForceDate"): ((5, "inforce-right"), (6, None), "Info"),
        acc("signedDate"): ((8, "signed-later"), (9, None), "Info"),
    }
    (tmp_path / "b").mkdir()
    assert Validator(_build(tmp_path / "b", [])[1].store).validate() == []  # an empty record conforms


STATES = ["RW", "SV", "CR", "PA"]


def generated(rng: random.Random, n: int) -> list[Draft]:
    """A history dense in named agreements, transfers and stances, with retractions and corrections."""
    drafts: list[Draft] = [_source("s0")]
    sources, claims = ["s0"], []
    for i in range(1, n):
        roll = rng.random()
        key = f"k{i}"
        src = rng.choice(sources)
        state = rng.choice(STATES)
        valid = {"valid_time": f"2025-0{rng.randint(1, 9)}"} if rng.random() < 0.4 else {}
        polarity = {"polarity": "denied"} if rng.random() < 0.08 else {}
        date = lambda: f"2025-0{rng.randint(1, 9)}" + (f"-{rng.randint(10, 28)}" if rng.random() < 0.5 else "")  # noqa: E731
        if roll < 0.08:
            key = f"s{i}"
            drafts.append(_source(key, rng.choice(["Reuters", None]), rng.choice(["2025-03", None, "2025-06-01"])))
            sources.append(key)
            continue
        if roll < 0.3:
            terms = {k: date() for k in rng.sample(["signed", "in_force", "terminated"], rng.randint(0, 2))}
            terms["status"] = rng.choice(["signed", "in_force", "reported"])
            statement = _agreement(f"agreement/us-{state.lower()}", "US", state, **terms)
        elif roll < 0.5:
            statement = {
                "@type": "Transfer",
                "from": "state/US",
                "to": f"state/{state}",
                "people": rng.choice([10, 50, "about 200"]),
            }
            if rng.random() < 0.6:
                statement["@id"] = f"transfer/us-{state.lower()}-{rng.randint(1, 3)}"
            if rng.random() < 0.7:
                statement["date"] = date()
        elif roll < 0.6:
            statement = {"@id": f"payment/{i}", "@type": "Payment", "payer": "state/US", "payee": f"state/{state}"}
            if rng.random() < 0.5:
                statement["agreement"] = f"agreement/us-{state.lower()}"
        elif roll < 0.8:
            statement = {
                "@type": "Stance",
                "state": f"state/{state}",
                "toward": "state/US",
                "position": rng.choice(["refused", "denied", "willing"]),
            }
            if rng.random() < 0.3:
                statement["on"] = f"agreement/us-{state.lower()}"
        elif roll < 0.86 and claims:
            drafts.append(Draft("ClaimRetracted", {"claim": rng.choice(claims), "reason": "other"}))
            continue
        elif roll < 0.9:
            drafts.append(Draft("SourceCorrected", {"source": src, "correction": "c", "retracted": rng.random() < 0.7}))
            continue
        elif len(claims) >= 2:
            old, new = sorted(rng.sample(claims, 2), key=lambda c: int(c[1:]))
            drafts.append(Draft("ClaimCorrected", {"claim": old, "replacement": new, "reason": "recording_error"}))
            continue
        else:
            continue
        drafts.append(_claim(key, statement, src, **valid, **polarity))
        claims.append(key)
    return drafts


def _incremental_equals_full(tmp_path: Path, drafts: list[Draft], every: int = 1) -> int:
    log = Log(open_store(str(tmp_path / "h.db"), create=True), "tester")
    log.append(drafts)
    full: dict[int, tuple[str, set[Key]]] = {}

    def after(timeline: Any, event: Any) -> None:
        if event.seq % every == 0:
            full[event.seq] = (event.type, {key(r) for r in Validator(timeline.projection.store).validate()})

    spans = over_time(log.read(), after=after)
    assert {s.result.severity for s in spans} == {"Violation", "Warning", "Info"}  # the history exercises the shapes
    for seq, (kind, found) in full.items():  # what the spans say was open after each event
        held = {key(s.result) for s in spans if s.introduced[0] <= seq and (s.resolved is None or s.resolved[0] > seq)}
        assert held == found, f"at seq {seq} ({kind}): {held ^ found}"
    return len(full)


def test_incremental_equals_full_validation_at_every_step(tmp_path: Path) -> None:
    """A generated history of 320 events: after each event, the findings the incremental
    walk holds open are exactly those of a full validation of the graph at that point."""
    drafts = generated(random.Random(4), 330)
    assert _incremental_equals_full(tmp_path, drafts) >= 300  # every event (repeats are not appended)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_equals_full_on_other_histories(tmp_path: Path, seed: int) -> None:
    assert _incremental_equals_full(tmp_path, generated(random.Random(seed), 150))


def test_prebinding_a_sub_select_that_projects_this() -> None:
    """SHACL has a sub-select project $this; pre-bound, the constant is neither projected nor
    grouped by (it is no SPARQL), and the query gives the rows of that node."""
    store = ox.Store()
    a, b, state = (ox.NamedNode(ID + n) for n in ("agreement/a", "agreement/b", "state/US"))
    party = acc("party")
    store.extend([ox.Quad(a, party, state), ox.Quad(b, party, state), ox.Quad(a, acc("on"), state)])
    select = f"""SELECT $this ?value ?n WHERE {{
        ?this <{party.value}> ?value .
        {{ SELECT $this ?value (COUNT(*) AS ?n) WHERE {{ ?x <{party.value}> ?value }} GROUP BY $this ?value }}
        UNION {{ $this <{acc("on").value}> ?value BIND (0 AS ?n) }}
    }} GROUP BY $this ?value ?n"""
    whole = {(r["this"], r["n"].value) for r in store.query(select)}  # type: ignore[union-attr]
    assert whole == {(a, "2"), (b, "2"), (a, "0")}
    for node in (a, b):
        bound = prebound(select, node)
        assert "GROUP BY <" not in bound and "SELECT <" not in bound, bound
        rows = {(node, r["n"].value) for r in store.query(bound)}  # type: ignore[union-attr]
        assert rows == {row for row in whole if row[0] == node}


# -- the command -----------------------------------------------------------------------

CRAFTED = [
    {
        "type": "SourceRegistered",
        "key": "s1",
        "body": {"title": "T", "kind": "news", "publisher": "P", "published": "2025-05-20"},
    },
    {
        "type": "ClaimRecorded",
        "key": "c1",
        "body": {
            "source": "s1",
            "quote": "q",
            "attributed_to": "a",
            "certainty": "reported",
            "statement": {
                "@id": "agreement/us-rw",
                "@type": "Agreement",
                "parties": ["state/US", "state/RW"],
                "signed": "2025-05",
                "in_force": "2025-04-02",
            },
        },
    },
]


def test_validate_exits_1_on_a_violation_and_0_before(sqlite_run: Any, tmp_path: Path) -> None:
    data = tmp_path / "h.jsonl"
    data.write_text("\n".join(json.dumps(e) for e in CRAFTED) + "\n")
    assert sqlite_run("import", str(data)).exit_code == 0
    before = sqlite_run("validate", "--as-of", "1", "--format", "json")
    assert before.exit_code == 0, before.output
    assert json.loads(before.stdout) == []
    now = sqlite_run("validate", "--format", "json")
    assert now.exit_code == 1
    (row,) = json.loads(now.stdout)
    assert (row["severity"], row["shape"], row["focus"], row["path"]) == (
        "Violation",
        "accsh:LifecycleShape",
        "agreement/us-rw",
        "inForceDate",
    )
    over = sqlite_run("validate", "--over-time", "--format", "json")
    assert over.exit_code == 1
    assert [(r["introduced"], r["resolved"]) for r in json.loads(over.stdout)] == [("seq 2 (c1)", "still open")]


def test_turtle_report_is_a_shacl_report_linked_to_the_head(sqlite_run: Any, tmp_path: Path) -> None:
    data = tmp_path / "h.jsonl"
    data.write_text("\n".join(json.dumps(e) for e in CRAFTED) + "\n")
    sqlite_run("import", str(data))
    result = sqlite_run("validate", "--format", "turtle")
    assert result.exit_code == 1
    report = Graph().parse(data=result.stdout, format="turtle")
    (node,) = report.subjects(None, SH.ValidationReport)
    head = open_store(sqlite_run.store).head()
    assert str(report.value(node, report.namespace_manager.expand_curie("acc:headHash"))) == head.hash
    assert int(report.value(node, report.namespace_manager.expand_curie("acc:headSeq"))) == 2
    (r,) = report.objects(node, SH.result)
    assert report.value(r, SH.resultSeverity) == SH.Violation


def test_bad_user_shapes_exit_2_naming_file_and_line(sqlite_run: Any, tmp_path: Path) -> None:
    bad = tmp_path / "mine.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n\n<a> sh:targetClass <b ;\n")
    result = sqlite_run("validate", "--shapes", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:3: Turtle syntax error" in result.stderr
    unsupported = tmp_path / "unsupported.ttl"
    unsupported.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> sh:targetNode <urn:x> ; sh:qualifiedMinCount 1 .\n"
    )
    result = sqlite_run("validate", "--shapes", str(unsupported))
    assert result.exit_code == 2
    assert "sh:qualifiedMinCount is not supported" in result.stderr


def test_user_shapes_run_with_the_built_in_ones(sqlite_run: Any, tmp_path: Path) -> None:
    data = tmp_path / "h.jsonl"
    data.write_text(json.dumps(CRAFTED[0]) + "\n")
    sqlite_run("import", str(data))
    mine = tmp_path / "mine.ttl"
    mine.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix schema: <https://schema.org/> .\n"
        "<urn:SourceUrl> sh:targetClass <https://w3id.org/accords/ns#Source> ;\n"
        '  sh:property [ sh:path schema:url ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "no url" ] .\n'
    )
    result = sqlite_run("validate", "--shapes", str(mine), "--format", "json")
    assert result.exit_code == 0
    assert [(r["severity"], r["message"]) for r in json.loads(result.stdout)] == [("Warning", "no url")]
    assert _incremental_user(tmp_path, mine)


def _incremental_user(tmp_path: Path, shapes_file: Path) -> bool:
    from accords.graph.validation import load_shapes

    log = Log(open_store(str(tmp_path / "u.db"), create=True), "tester")
    log.append([_source("s1"), _source("s2", publisher=None)])
    spans = over_time(log.read(), builtin_shapes() + load_shapes(shapes_file))
    return [s.introduced[0] for s in spans if s.result.message == "no url"] == [1, 2]


def test_installed_command_exit_code(tmp_path: Path) -> None:
    store = str(tmp_path / "a.db")
    data = tmp_path / "h.jsonl"
    data.write_text("\n".join(json.dumps(e) for e in CRAFTED) + "\n")
    env = {"ACCORDS_STORE": store, "ACCORDS_USER": "t", "PATH": __import__("os").environ["PATH"]}
    subprocess.run(["accords", "init"], env=env, check=True, capture_output=True)
    subprocess.run(["accords", "import", str(data)], env=env, check=True, capture_output=True)
    done = subprocess.run(["accords", "validate", "--format", "summary"], env=env, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("1 violation, 0 warnings, 0 infos (graph at seq 2")
