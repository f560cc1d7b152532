"""The log's commands as a user types them: in-process, and a few through the real `accords`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import click
import pytest

from accords.cli import cli

SAMPLE = Path(__file__).parents[1] / "events" / "data" / "sample.jsonl"


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        found.append((prefix + name, command))
        if isinstance(command, click.Group):
            found += _commands(command, prefix + name + " ")
    return found


@pytest.mark.parametrize(("name", "command"), _commands(cli))
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    assert command.help and "Example:" in command.help, f"accords {name} needs an Example"


def test_export_then_import_gives_the_identical_head(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("import", str(SAMPLE))
    exported = run("export").stdout_bytes
    copy = str(tmp_path / "copy.db")
    assert run("init", store=copy).exit_code == 0
    result = run("import", "-", input=exported, store=copy)
    assert result.exit_code == 0, result.stderr
    heads = [json.loads(run("verify", "--format", "json", store=s).stdout)[0]["head"] for s in (run.store, copy)]
    assert heads[0] == heads[1]
    assert run("export", store=copy).stdout_bytes == exported


def test_reimport_adds_nothing_and_says_so(run) -> None:  # type: ignore[no-untyped-def]
    assert run("import", str(SAMPLE)).exit_code == 0
    result = run("import", str(SAMPLE))
    assert result.exit_code == 0
    assert "committed 0 new events, 4 already recorded" in result.stderr


def test_dry_run_checks_files_together_and_writes_nothing(run, tmp_path: Path, snapshot) -> None:  # type: ignore[no-untyped-def]
    lines = SAMPLE.read_text().splitlines(keepends=True)
    sources, claims = tmp_path / "sources.jsonl", tmp_path / "claims.jsonl"
    sources.write_text(lines[0])  # the claims of the second file cite this source
    claims.write_text("".join(lines[1:]))
    before = snapshot(run.store)
    checked = run("import", "--dry-run", str(sources), str(claims))
    assert checked.exit_code == 0, checked.stderr
    assert (
        f"would commit {len(lines)} new events (seq 1-{len(lines)}), 0 already recorded; --dry-run: nothing written"
        in checked.stderr
    )
    one = run(
        "record", "--dry-run", "--type", "SourceRegistered", "-f", "title=T", "-f", "kind=news", "--format", "json"
    )
    assert json.loads(one.stdout)[0] | {"id": ""} == {
        "seq": 1,
        "id": "",
        "type": "SourceRegistered",
        "key": None,
        "new": True,
        "written": False,
    }
    claims.write_text(claims.read_text().replace('"state/PE"', '"state/Narnia"', 1))
    refused = run("import", "--dry-run", str(sources), str(claims))
    assert refused.exit_code == 2 and "claims.jsonl:" in refused.stderr and "unknown state 'Narnia'" in refused.stderr
    assert snapshot(run.store) == before


def test_show_by_seq_and_errors_that_point_the_way(sqlite_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sqlite_run("import", str(SAMPLE))
    assert json.loads(sqlite_run("show", "2").stdout)["key"] == "c-rwanda-paid"
    past = sqlite_run("show", "9")
    assert past.exit_code == 2 and "the log ends at seq 4" in past.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "SourceRegistered", "body": {"title": "x",}}\n')
    refused = sqlite_run("import", str(bad))
    assert "bad.jsonl:1: malformed JSON: trailing comma is not allowed (column 51)" in refused.stderr
    yaml_on_stdin = sqlite_run("import", "-", input=b"type: SourceRegistered\n")
    assert yaml_on_stdin.exit_code == 2 and "--input-format yaml" in yaml_on_stdin.stderr


def test_store_given_before_the_command_wins_over_the_environment(sqlite_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = str(tmp_path / "other.db")
    assert sqlite_run("init", "--store", other).exit_code == 0
    recorded = sqlite_run("--store", other, "record", "--type", "SourceRegistered", "-f", "title=T", "-f", "kind=news")
    assert recorded.exit_code == 0, recorded.stderr  # ACCORDS_STORE names sqlite_run's store
    assert len(json.loads(sqlite_run("--store", other, "log", "--format", "json").stdout)) == 1
    assert json.loads(sqlite_run("log", "--format", "json").stdout) == []
    missing = sqlite_run("--store", str(tmp_path / "nowhere.db"), "log")
    assert missing.exit_code == 2 and "no accords store" in missing.stderr


def test_record_from_flags_json_and_yaml(sqlite_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = sqlite_run
    result = run(
        "record",
        "--type",
        "SourceRegistered",
        "--key",
        "src-ap",
        "-f",
        "title=US seeks deals",
        "-f",
        "publisher=AP",
        "-f",
        "published=11 June 2025",
        "-f",
        "kind=news",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("recorded seq 1 SourceRegistered src-ap ")
    claim = {
        "type": "ClaimRecorded",
        "key": "c-ap",
        "body": {
            "source": "src-ap",
            "quote": "Peru said no",
            "attributed_to": "Peru's foreign ministry",
            "certainty": "confirmed",
            "statement": {"@type": "Stance", "state": "state/PE", "position": "refused"},
        },
    }
    result = run("record", "-", input=json.dumps(claim))
    assert result.exit_code == 0, result.stderr
    yaml_file = tmp_path / "retract.yaml"
    yaml_file.write_text("type: ClaimRetracted\nbody:\n  claim: c-ap\n  reason: other\n  note: wrong ministry\n")
    assert run("record", str(yaml_file)).exit_code == 0
    shown = json.loads(run("show", "src-ap").stdout)
    assert shown["body"]["published"] == "2025-06-11"
    log = json.loads(run("log", "--type", "ClaimRecorded", "--format", "json").stdout)
    assert [row["key"] for row in log] == ["c-ap"]
    again = run("record", "-", input=json.dumps(claim))
    assert again.exit_code == 0
    assert again.stdout.startswith("already recorded as seq 2")
    rated = run("record", "--type", "ClaimReviewed", "-f", "claim=c-ap", "-f", "rating=true", "-f", "reviewer=Desk")
    assert rated.exit_code == 0, rated.stderr  # the rating "true", not the boolean
    withdrawn = run(
        "record", "--type", "SourceCorrected", "-f", "source=src-ap", "-f", "correction=x", "-f", "retracted=true"
    )
    assert withdrawn.exit_code == 0, withdrawn.stderr
    assert json.loads(run("show", withdrawn.stdout.split()[-1]).stdout)["body"]["retracted"] is True


def test_retract_and_correct(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    run = sqlite_run
    run("import", str(SAMPLE))
    result = run("retract", "c-rwanda-paid", "--reason", "source_correction", "--note", "corrected")
    assert result.exit_code == 0, result.stderr
    body = json.loads(run("show", "--store", run.store, result.stdout.split()[-1]).stdout)["body"]
    assert body["reason"] == "source_correction"
    bad = run("correct", "c-rwanda-paid", "--replacement", "src-seed", "--reason", "other")
    assert bad.exit_code == 2
    assert "'src-seed' is a SourceRegistered, expected ClaimRecorded" in bad.stderr


def test_log_filters(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    run = sqlite_run
    run("import", str(SAMPLE))
    rows = json.loads(run("log", "--source", "src-seed", "--from-seq", "2", "--format", "json").stdout)
    assert [r["seq"] for r in rows] == [2, 3, 4]  # 4 retracts a claim citing it, and names only the claim
    rows = json.loads(run("log", "--source", "src-seed", "--type", "ClaimRetracted", "--format", "json").stdout)
    assert [r["seq"] for r in rows] == [4]
    assert rows[0]["summary"].startswith("c-peru-resists: ")  # the retracted claim by its key
    rows = json.loads(run("log", "--since", "2000-01-01", "--until", "2000-01-02", "--format", "json").stdout)
    assert rows == []
    csv_out = run("log", "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "seq,type,key,id,recorded_at,recorded_by,signed,summary"
    assert len(csv_out) == 5
    run("record", "--type", "SourceRegistered", "--key", "src-other", "-f", "title=Other", "-f", "kind=news")
    assert [r["seq"] for r in json.loads(run("log", "--source", "src-other", "--format", "json").stdout)] == [5]


def test_errors_have_one_shape(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    result = sqlite_run("show", "nothing-here")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: no event 'nothing-here'")
    missing = sqlite_run("log", store="/nonexistent/dir/x.db")
    assert missing.exit_code == 2
    assert missing.stderr == (
        "error: no accords store at /nonexistent/dir/x.db\n"
        "hint: create one with `accords init`, or choose one with --store or ACCORDS_STORE\n"
    )
    assert sqlite_run("log", "--format", "xml").exit_code == 2


def _accords(*args: str, cwd: Path, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    exe = shutil.which("accords")
    assert exe, "the accords command is installed"
    env = {**os.environ, "ACCORDS_STORE": str(cwd / "accords.db")}
    return subprocess.run([exe, *args], cwd=cwd, env=env, input=input, capture_output=True, timeout=120)


def test_installed_command_end_to_end(tmp_path: Path) -> None:
    assert _accords("init", cwd=tmp_path).returncode == 0
    done = _accords("import", str(SAMPLE), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    verified = _accords("verify", cwd=tmp_path)
    assert verified.returncode == 0
    assert verified.stdout.startswith(b"ok: 4 events verify; head ")
    bad = _accords("import", "-", cwd=tmp_path, input=b'{"type": "Nope", "body": {}}\n')
    assert bad.returncode == 2
    assert bad.stderr.startswith(b"error: stdin:1: type: unknown event type 'Nope'")


def test_installed_command_checks_without_writing_and_obeys_the_store_before_it(tmp_path: Path) -> None:
    """--dry-run, and `accords --store B` while ACCORDS_STORE names A, as a user runs them."""
    assert _accords("init", cwd=tmp_path).returncode == 0  # A: ACCORDS_STORE
    checked = _accords("import", "--dry-run", str(SAMPLE), cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert b"would commit 4 new events (seq 1-4), 0 already recorded; --dry-run: nothing written" in checked.stderr
    other = str(tmp_path / "other.db")
    assert _accords("init", "--store", other, cwd=tmp_path).returncode == 0
    assert _accords("--store", other, "import", str(SAMPLE), cwd=tmp_path).returncode == 0
    assert _accords("--store", other, "verify", cwd=tmp_path).stdout.startswith(b"ok: 4 events verify")
    assert _accords("verify", cwd=tmp_path).stdout.startswith(b"ok: 0 events verify")  # A: nothing written


def test_a_pipe_closed_early_is_not_an_error(tmp_path: Path) -> None:
    _accords("init", cwd=tmp_path)
    lines = "\n".join(
        json.dumps({"type": "SourceRegistered", "body": {"title": f"t{i}", "kind": "news"}}) for i in range(3000)
    )
    _accords("import", "-", cwd=tmp_path, input=lines.encode())
    exe = shutil.which("accords")
    done = subprocess.run(
        f"{exe} log --format jsonl | head -1",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        env={**os.environ, "ACCORDS_STORE": str(tmp_path / "accords.db")},
    )
    assert done.returncode == 0
    assert done.stderr == b""


def test_statements_lists_each_type_from_the_shapes(sqlite_run) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(sqlite_run("statements", "--format", "json").stdout)
    by_type: dict[str, dict[str, dict[str, str]]] = {}
    for row in rows:
        by_type.setdefault(row["type"], {})[row["key"]] = row
    assert set(by_type) == {
        "Agreement",
        "Transfer",
        "Request",
        "Payment",
        "Stance",
        "CourtRuling",
        "Target",
        "ConditionReport",
        "State",
        "Actor",
        "Pressure",
        "Lawsuit",
        "Quantity",
    }
    assert by_type["Quantity"]["number"]["required"] == "yes"
    assert by_type["Agreement"]["status"]["takes"].startswith("one: reported, negotiating, concluded, signed, in_force")
    assert by_type["Transfer"]["via"]["takes"] == "a list"
    unknown = sqlite_run("statements", "Deal")
    assert unknown.exit_code == 2 and "no statement type 'Deal'" in unknown.stderr
