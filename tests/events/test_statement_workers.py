"""Statements checked ahead in worker processes: the same log, the same errors, no orphans."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from accords.events import statement_workers
from accords.events.log import Draft, Log
from accords.events.backends import open_store

SOURCE = {"type": "SourceRegistered", "key": "src-w", "body": {"title": "T", "kind": "news"}}


STATES = ["state/Peru", "state/Rwanda", "state/Kosovo", "state/Eswatini", "state/Palau"]


def claim(i: int, state: str | None = None) -> dict[str, Any]:
    """A claim whose statement is normalised when checked (state names become codes)."""
    statement = {
        "@type": "Stance",
        "state": state or STATES[i % 5],
        "toward": "state/usa",
        "position": ["refused", "willing", "resisting"][i % 3],
    }
    body = {
        "source": "src-w",
        "quote": f"quote {i}",
        "attributed_to": "x",
        "certainty": "reported",
        "statement": statement,
    }
    return {"type": "ClaimRecorded", "key": f"c-{i}", "body": body}


def write(path: Path, claims: int, bad_at: int | None = None, malformed_at: int | None = None) -> Path:
    """A JSONL file: a source, then claims; line bad_at names a state that does not
    exist, line malformed_at is not JSON."""
    lines = [
        json.dumps(e) for e in [SOURCE] + [claim(i, "state/Narnia" if i + 2 == bad_at else None) for i in range(claims)]
    ]
    if malformed_at:
        lines[malformed_at - 1] = lines[malformed_at - 1][:-3]
    path.write_text("".join(line + "\n" for line in lines))
    return path


def test_workers_store_what_one_process_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drafts = [Draft(e["type"], e["body"], e["key"]) for e in [SOURCE] + [claim(i) for i in range(2_500)]]
    checked_here = []
    check = statement_workers.normalize_statement
    monkeypatch.setattr(statement_workers, "normalize_statement", lambda s: checked_here.append(1) or check(s))
    at = dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)
    heads, here = [], []
    for processes in (1, 3):
        checked_here.clear()
        log = Log(open_store(str(tmp_path / f"{processes}.db"), create=True), "tester", clock=lambda: at)
        heads.append(log.append(drafts, processes=processes).head)
        here.append(len(checked_here))
    assert heads[0] == heads[1]
    assert here == [2_500, 999]  # with workers, only the first chunk's claims are checked here
    stored = json.loads(next(log.read(2, 2)).body)["statement"]
    assert (stored["state"], stored["toward"]) == ("state/PE", "state/US")


def test_a_bad_statement_far_into_a_file_is_named_as_one_process_names_it(
    run: Any, tmp_path: Path, snapshot: Any
) -> None:
    """... and before a line further on that is not JSON, which workers read ahead."""
    before = snapshot(run.store)
    errors = []
    path = write(tmp_path / "claims.jsonl", 4_000, bad_at=2_200, malformed_at=3_500)
    for processes in ("1", "3"):
        result = run("import", "-j", processes, str(path))
        assert result.exit_code == 2
        errors.append(result.stderr)
        assert snapshot(run.store) == before
    assert errors[0] == errors[1]
    assert "claims.jsonl:2200: body.statement: unknown state 'Narnia'" in errors[0]


def test_the_accords_command_imports_with_workers_what_it_imports_without(tmp_path: Path) -> None:
    accords = shutil.which("accords")
    assert accords, "the accords command is installed"
    path = write(tmp_path / "claims.jsonl", 2_500)
    ids = []
    for processes in ("1", "2"):  # 2: one worker, wherever the tests run
        store = str(tmp_path / f"{processes}.db")
        subprocess.run([accords, "init", "--store", store], check=True, capture_output=True)
        done = subprocess.run(
            [accords, "import", "-j", processes, "--store", store, str(path)], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert "committed 2501 new events" in done.stderr
        log = subprocess.run(
            [accords, "log", "--store", store, "--format", "json"], check=True, capture_output=True, text=True
        )
        ids.append([e["id"] for e in json.loads(log.stdout)])  # content addresses: type and body
    assert len(ids[0]) == 2_501 and ids[0] == ids[1]


def _stat(pid: int | str) -> list[str] | None:
    """The fields of /proc/PID/stat after "pid (comm)" (comm may hold spaces): state, ppid, …"""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None


def _children(pid: int) -> list[int]:
    return [int(e) for e in os.listdir("/proc") if e.isdigit() and (_stat(e) or ["", ""])[1] == str(pid)]


def _running(pid: int) -> bool:
    """Alive and not a zombie (an exited child its new parent has not reaped yet)."""
    stat = _stat(pid)
    return stat is not None and stat[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_of_a_killed_import_exit_and_nothing_is_written(tmp_path: Path) -> None:
    store = str(tmp_path / "accords.db")
    open_store(store, create=True).close()
    accords = shutil.which("accords")
    assert accords, "the accords command is installed"
    path = write(tmp_path / "claims.jsonl", 20_000)
    process = subprocess.Popen(
        [accords, "import", "-j", "3", "--store", store, str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not (workers := _children(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers, "the import started workers"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_running, workers)), "workers outlived the killed import"
    assert open_store(store).head().seq == 0
