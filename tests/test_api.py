"""accords as a library: the README's Python runs, and each command answers what its method answers."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

import accords

README = Path(__file__).parents[1] / "README.md"
CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.jsonl"))


def test_the_readmes_python_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    section = README.read_text(encoding="utf-8").split("\n## In Python\n", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"^```python\n(.*?)^```", section, re.S | re.M)  # the section's one block
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {})  # its asserts are the test
    assert (tmp_path / "newsroom.db").exists()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("api")
    with accords.open(folder / "a.db", create=True) as record:
        for path in CORPUS:
            record.append(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return folder / "a.db"


def _cli(store: Path, *args: str) -> Any:
    done = subprocess.run(["accords", *args, "--store", str(store), "--format", "json"], capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def _bindings(document: Any) -> list[str]:
    return sorted(
        json.dumps({k: v["value"] for k, v in row.items()}, sort_keys=True) for row in document["results"]["bindings"]
    )


def _iris(rows: list[dict[str, Any]]) -> list[str]:
    """Rows as sorted JSON: a query's ORDER BY may leave ties in any order."""
    return sorted(
        json.dumps(
            {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in row.items() if v is not None},
            sort_keys=True,
        )
        for row in rows
    )


CLOCKS = [{}, {"as_of": "300"}, {"known_by": "2025-08-01"}, {"valid_at": "2025-07-16"}]


@pytest.mark.parametrize("at", CLOCKS, ids=lambda at: "-".join(at) or "now")
def test_query_and_sparql_answer_as_their_commands(store: Path, at: dict[str, str]) -> None:
    options = [x for k, v in at.items() for x in (f"--{k.replace('_', '-')}", v)]
    with accords.open(store) as record:
        for name, params in (("agreements-by-state", {"state": "state/SZ"}), ("payments", {}), ("contradictions", {})):
            api = record.query(name, params, **at).rows(iris=True)
            cli = _cli(store, "query", name, *[f"--param={k}={v}" for k, v in params.items()], *options)
            assert _iris(api) == _bindings(cli), name
        text = "SELECT ?s ?p WHERE { ?s acc:actor ?a ; acc:position ?p } ORDER BY ?s"
        assert _iris(record.sparql(text, **at).rows(iris=True)) == _bindings(_cli(store, "sparql", text, *options))


def test_trace_validate_and_verify_answer_as_their_commands(store: Path) -> None:
    with accords.open(store) as record:
        traced = record.trace("agreement/us-sz")
        cli = _cli(store, "trace", "agreement/us-sz")
        assert [c.id for c in traced.claims] == [c["id"] for c in cli["claims"]]
        assert (traced.supporting_active, traced.independent_sources) == (
            cli["supporting_active"],
            cli["independent_sources"],
        )
        findings, head = record.validate(known_by="2025-09-30")
        rows = _cli(store, "validate", "--known-by", "2025-09-30")
        assert len(findings) == len(rows) and {r.message for r in findings} == {r["message"] for r in rows}
        verified = record.verify()
        assert _cli(store, "verify") == [
            {"ok": True, "events": verified.events, "head": verified.head, "bad_seq": None, "problem": None}
        ]
        assert verified.head == record.head.hash and head.seq <= record.head.seq


def test_rows_are_plain_values_and_a_dataframe(store: Path) -> None:
    with accords.open(store) as record:
        rows = record.sparql("SELECT ?q ?n WHERE { ?x acc:quantity ?q . ?q acc:numberMin ?n } LIMIT 3").rows()
        assert rows.columns == ["q", "n"] and all(
            isinstance(r["q"], str) and not r["q"].startswith("http") for r in rows
        )
        pandas = pytest.importorskip("pandas")
        assert isinstance(rows.to_dataframe(), pandas.DataFrame)


def test_a_bad_input_is_refused_with_nothing_written(store: Path, tmp_path: Path) -> None:
    with accords.open(tmp_path / "b.db", create=True) as record:
        with pytest.raises(accords.api.InputError, match="event 1: type: unknown event type"):
            record.append([{"type": "Rumour", "body": {}}])
        assert record.head.empty


def test_log_show_replay_and_diff_answer_as_their_commands(store: Path) -> None:
    with accords.open(store) as record:
        sources = list(record.events(["SourceRegistered"], from_seq=10, to_seq=200))
        logged = _cli(store, "log", "--type", "SourceRegistered", "--from-seq", "10", "--to-seq", "200")
        assert [e.id[:12] for e in sources] == [row["id"] for row in logged] and sources
        signed = record.ledger().signer(sources[0].seq, record.recorder)
        shown = {**record.event(sources[0].key or "").envelope(), "signed": signed}
        assert shown == _cli_json(store, "show", sources[0].key or "") and signed == "unsigned"
        assert {row["signed"] for row in logged} == {"unsigned"}
        assert record.event(sources[0].seq).id == sources[0].id
        assert record.replay(400, 405) == _cli(store, "replay", "--from", "400", "--to", "405")
        assert record.diff(100, 200) == _cli(store, "diff", "100", "200")


def test_proofs_answer_as_their_commands(store: Path, tmp_path: Path) -> None:
    with accords.open(store) as record:
        proof = record.prove_inclusion("c-as-lt-announce", tree_size=300)
        assert proof == _cli_json(store, "prove", "c-as-lt-announce", "--tree-size", "300")
        (tmp_path / "p.json").write_text(json.dumps(proof))
        assert accords.api.check_proof(proof, "p.json", proof["root"]).endswith(f"about root {proof['root']}")
        with pytest.raises(accords.api.NotConforming):
            accords.api.check_proof({**proof, "root": "00" * 32}, "p.json")


def _cli_json(store: Path, *args: str) -> Any:
    done = subprocess.run(["accords", *args, "--store", str(store)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_import_files_yields_each_file_as_it_commits(tmp_path: Path) -> None:
    with accords.open(tmp_path / "c.db", create=True) as record:
        checked = list(record.import_files(iter(CORPUS[:2]), dry_run=True))
        assert len(checked) == 1 and record.head.empty  # checked together, nothing written
        done = list(record.import_files(iter(CORPUS[:2])))
        assert [name for name, _ in done] == [str(p) for p in CORPUS[:2]]
        assert sum(appended.added for _, appended in done) == record.head.seq == checked[0][1].added


def test_export_and_readable_rows_answer_as_their_commands(store: Path) -> None:
    """The export of a view, quad for quad (a store folded afresh writes them in its own order);
    rows by name (keys, labels) as the CSV names them."""
    import csv
    import io

    with accords.open(store) as record:
        written = io.BytesIO()
        record.export(written, "nquads", as_of="300")
        done = subprocess.run(
            ["accords", "export", "--format", "nquads", "--as-of", "300", "--store", str(store)], capture_output=True
        )
        assert done.returncode == 0 and sorted(written.getvalue().splitlines()) == sorted(done.stdout.splitlines())
        for name in ("payments", "transfers-without-agreement"):
            rows = record.query(name).rows()
            table = subprocess.run(
                ["accords", "query", name, "--format", "csv", "--store", str(store)], capture_output=True, text=True
            )

            def cell(v: Any) -> str:
                return "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)

            assert [{k: cell(v) for k, v in r.items()} for r in rows] == list(csv.DictReader(io.StringIO(table.stdout)))
            assert rows and not any(str(v).startswith("http") for r in rows for v in r.values())
