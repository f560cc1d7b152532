"""No command opens a socket the user did not name: every command of the installed accords
runs under a guard (an audit hook loaded by sitecustomize) that refuses any connection or
name lookup off loopback, and the test fails if one was tried. The guard sees what Python
opens (urllib, the Neo4j and PostgreSQL drivers, rdflib and pyshacl fetching a context or
an import); a SPARQL SERVICE call, which Oxigraph's own client would make, is refused by
accords itself unless --allow-service (tests/cli/test_hostile.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from accords.cli import COMMANDS
from accords.record import EXPORT_FORMATS

SEED = Path(__file__).parents[2] / "accords" / "seed" / "seed.jsonl"
GUARD = """
import os, socket, sys

LOG = os.environ["ACCORDS_GUARD_LOG"]
LOOPBACK = {"127.0.0.1", "::1", "localhost", "0.0.0.0"}


def _note(line):
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(line + "\\n")


def _guard(event, args):
    host = None
    if event == "socket.connect" and args[0].family in (socket.AF_INET, socket.AF_INET6):
        host = args[1][0]
    elif event == "socket.getaddrinfo":
        host = args[0].decode() if isinstance(args[0], bytes) else args[0]
    elif event == "socket.sendto" and args[0].family in (socket.AF_INET, socket.AF_INET6):
        host = args[1][0]
    if host is not None and str(host) not in LOOPBACK:
        _note(f"refused {event} {host} in {sys.argv}")
        raise PermissionError(f"socket guard: {event} to {host}")


_note(f"armed {sys.argv}")
sys.addaudithook(_guard)
"""

# Every command, run as a user would on the seed's record (files written in the folder),
# with the exit codes it may give: Neo4j is named on loopback's port 9, where none listens.
RUNS: dict[str, list[tuple[list[str], set[int]]]] = {
    "init": [(["init", "--store", "other.db"], {0})],
    "import": [(["import", str(SEED)], {0})],
    "capture": [(["capture", "src-global-negotiations", "page.html"], {0})],  # a page naming other hosts
    "record": [(["record", "--type", "SourceRegistered", "--field", "title=A page", "--field", "kind=news"], {0})],
    "retract": [(["retract", "c-ss-conditions", "--reason", "other"], {0})],
    "correct": [(["correct", "c-ly-conditions", "--replacement", "c-ss-explored", "--reason", "other"], {0})],
    "erase": [(["erase", "person/none", "--reason", "a test"], {2})],  # the seed names no private person
    "log": [(["log"], {0})],
    "show": [(["show", "1"], {0})],
    "replay": [(["replay"], {0})],
    "diff": [(["diff", "5", "17"], {0})],
    "query": [
        (["query", "--list"], {0}),
        (["query", "contradictions"], {0}),
        (["query", "payments", "--as-of", "10"], {0}),
    ],
    "sparql": [(["sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 5"], {0})],
    "trace": [(["trace", "agreement/us-rw"], {0})],
    "validate": [(["validate"], {0, 1}), (["validate", "--over-time"], {0, 1})],
    "verify": [(["verify", "--graph"], {0})],
    "checkpoint": [(["checkpoint", "-o", "checkpoint.json"], {0})],
    "prove": [(["prove", "c-rwanda-paid"], {0}), (["prove", "--from", "checkpoint.json"], {0})],
    "key": [(["key", "new", "Ana", "-o", "ana.pem"], {0}), (["key", "list"], {0})],
    "export": [(["export", "--format", f], {0}) for f in EXPORT_FORMATS],
    "statements": [(["statements"], {0}), (["statements", "Transfer"], {0})],
    "sources": [
        (["sources", "suggest"], {0}),
        (["sources", "derive", "src-global-negotiations", "actor/ap", "--reason", "a test", "--key", "j-test"], {0}),
        (["sources", "undo", "j-test", "--reason", "a test"], {0}),
    ],
    "project": [(["project", "rdf", "--rebuild"], {0}), (["project", "neo4j", "--neo4j", "bolt://127.0.0.1:9"], {2})],
    "cypher": [(["cypher", "RETURN 1", "--neo4j", "bolt://127.0.0.1:9"], {2})],
    "demo": [(["demo", "--store", "demo.db"], {0})],
    "serve": [],  # it runs until stopped: test_the_server_reaches_nothing_off_loopback
}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("guarded")
    (folder / "guard").mkdir()
    (folder / "guard" / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(folder / "guard"), "ACCORDS_GUARD_LOG": str(folder / "guard.log")}
    env.pop("ACCORDS_STORE", None)
    (folder / "page.html").write_text(
        '<p><a href="https://example.org/">a link</a><img src="https://example.org/i.png"></p>'
    )
    for args in (["init"], ["import", str(SEED)]):
        assert subprocess.run(["accords", *args], cwd=folder, env=env, capture_output=True).returncode == 0
    return folder, env


def test_every_command_is_run_under_the_guard() -> None:
    assert sorted(RUNS) == sorted(COMMANDS)


@pytest.mark.parametrize("name", list(RUNS))
def test_no_command_reaches_off_loopback(guarded: tuple[Path, dict[str, str]], name: str) -> None:
    folder, env = guarded
    log = folder / "guard.log"
    for args, codes in RUNS[name]:
        log.write_text("", encoding="utf-8")
        done = subprocess.run(["accords", *args], cwd=folder, env=env, capture_output=True, text=True)
        assert done.returncode in codes, (args, done.stderr[-2000:])
        lines = log.read_text(encoding="utf-8").splitlines()
        assert lines and lines[0].startswith("armed"), (args, lines)  # the guard ran in that process
        assert not [line for line in lines if line.startswith("refused")], (args, lines)


def test_the_guard_refuses_what_is_off_loopback(guarded: tuple[Path, dict[str, str]]) -> None:
    folder, env = guarded
    log = folder / "guard.log"
    log.write_text("", encoding="utf-8")
    fetch = "import urllib.request; urllib.request.urlopen('http://example.org/', timeout=5)"
    done = subprocess.run([sys.executable, "-c", fetch], cwd=folder, env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "socket guard" in done.stderr
    assert any(line.startswith("refused socket.getaddrinfo example.org") for line in log.read_text().splitlines())
    # loopback is allowed: the harmless twin
    log.write_text("", encoding="utf-8")
    local = "import socket; socket.getaddrinfo('127.0.0.1', 9)"
    assert subprocess.run([sys.executable, "-c", local], cwd=folder, env=env).returncode == 0
    assert not [line for line in log.read_text().splitlines() if line.startswith("refused")]


def test_the_server_reaches_nothing_off_loopback(guarded: tuple[Path, dict[str, str]]) -> None:
    import socket
    import urllib.parse
    import urllib.request

    folder, env = guarded
    log = folder / "guard.log"
    log.write_text("", encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        ["accords", "serve", "--port", str(port)], cwd=folder, env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        assert server.stderr is not None and "accords serve: http" in server.stderr.readline()
        query = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } LIMIT 3")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sparql?query={query}", timeout=60) as answer:
            assert answer.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len([line for line in lines if line.startswith("armed")]) >= 3, lines  # the server and its workers
    assert not [line for line in lines if line.startswith("refused")], lines
