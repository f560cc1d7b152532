"""Crashes and concurrent writers: nothing acknowledged is lost, nothing is half-written."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from accords.events import integrity
from accords.events.backends import open_store

FILES, PER_FILE = 16, 150  # enough files that a kill within 0.3 s of the first lands mid-import


def write_files(folder: Path, round_: int) -> dict[Path, set[str]]:
    """Files of new events for one round, and the keys each file holds."""
    files = {}
    for f in range(FILES):
        path = folder / f"round-{round_:02d}-{f}.jsonl"
        keys = {f"s-{round_}-{f}-{i}" for i in range(PER_FILE)}
        with path.open("w") as out:
            for key in sorted(keys):
                body = {"title": f"report {key}", "kind": "news", "publisher": "P", "published": "2025"}
                out.write(json.dumps({"type": "SourceRegistered", "key": key, "body": body}) + "\n")
        files[path] = keys
    return files


def test_sigkill_during_import_loses_nothing_acknowledged(store_url: str, tmp_path: Path) -> None:
    """Each round starts an import of new files, waits until the first file is
    acknowledged, then SIGKILLs the importer at a random moment of the rest."""
    accords = shutil.which("accords")
    assert accords, "the accords command is installed"
    rng = random.Random(7)
    files: dict[Path, set[str]] = {}
    acknowledged: set[str] = set()
    kills = 0
    for round_ in range(60):
        batch = write_files(tmp_path, round_)
        files.update(batch)
        process = subprocess.Popen(
            [accords, "import", "--store", store_url, *map(str, batch)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stderr is not None
        first = process.stderr.readline()
        time.sleep(rng.uniform(0, 0.3))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        rest = process.stderr.read()
        process.wait()
        acknowledged |= {line.split(": committed")[0] for line in (first + rest).splitlines() if ": committed " in line}
        store = open_store(store_url)
        keys = {e.key for e in store.read()}
        for path, expected in files.items():
            present = expected & keys
            assert len(present) in (0, PER_FILE), f"{path.name} half-written"
            if str(path) in acknowledged:
                assert present, f"{path.name} was acknowledged, then lost"
        assert integrity.verify(store).problem is None
        store.close()
        if kills >= 20:
            break
    assert kills >= 20


WRITER = """
import sys
from accords.events.log import Draft, Log
from accords.events.backends import open_store
url, writer = sys.argv[1], sys.argv[2]
log = Log(open_store(url), "writer-" + writer)
for i in range(1000):
    log.append([Draft("SourceRegistered", {"title": f"w{writer} n{i}", "kind": "news"})])
"""


def test_four_concurrent_writers_leave_a_gapless_chain(store_url: str, tmp_path: Path) -> None:
    # cwd away from the checkout, whose accords/ folder would shadow the installed package
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, store_url, str(w)], cwd=tmp_path) for w in range(4)]
    assert [p.wait(timeout=600) for p in writers] == [0, 0, 0, 0]
    store = open_store(store_url)
    events = list(store.read())
    assert [e.seq for e in events] == list(range(1, 4001))
    assert {e.recorded_by for e in events} == {f"writer-{w}" for w in range(4)}
    assert integrity.verify(store).problem is None
