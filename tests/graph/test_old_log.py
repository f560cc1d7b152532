"""A log written by an earlier accords (commit 766b605) still verifies, projects and validates as it did.

The vocabulary grew after it (actors, quantities, unknowns, several facts per quote); a log
is immutable, so every event recorded before must read exactly as before. The fixture holds
that commit's own answers: its belief graph and its validation findings.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

FIXTURE = Path(__file__).parent / "fixtures" / "log-766b605"
BELIEF = URIRef("https://w3id.org/accords/graph/belief")


def test_a_log_of_commit_766b605_reads_as_it_did(tmp_path: Path) -> None:
    run = lambda *args: subprocess.run(["accords", *args], cwd=tmp_path, capture_output=True, text=True)  # noqa: E731
    assert run("init").returncode == 0
    imported = run("import", str(FIXTURE / "log.jsonl"))
    assert imported.returncode == 0, imported.stderr
    last = json.loads((FIXTURE / "log.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    verified = run("verify")
    assert verified.returncode == 0, verified.stderr
    assert f"head {last['hash']}" in verified.stdout  # the same chain, byte for byte

    assert run("export", "--format", "nquads", "-o", "belief.nq").returncode == 0
    now, then = (
        Graph(identifier=BELIEF).parse(path, format="nquads")
        for path in (tmp_path / "belief.nq", FIXTURE / "belief.nq")
    )
    assert len(now) == len(then) > 1000
    assert isomorphic(now, then)

    validated = run("validate", "--format", "json")
    assert validated.returncode == 1  # the seed names no publisher: a violation then and now
    # the same violations and warnings; disagreements between claims (Info) are the judgement's
    # since it replaced three contradiction shapes, and a test of their own holds them
    now, then = (
        [f for f in json.loads(text) if not (f["severity"] == "Info" and f["shape"] != "accsh:SourceShape")]
        for text in (validated.stdout, (FIXTURE / "validate.json").read_text(encoding="utf-8"))
    )
    assert now == then and len(now) > 100
