"""The README cannot drift: every console block runs, in order, and prints what it shows.

A console block holds commands after "$ " (a trailing backslash continues a line; a
heredoc runs to its end marker) and, after each, the output it prints (what it says on stderr,
then stdout). In the shown output "…" stands for any text within a line, and a
line holding only "…" for any number of lines: times and paths differ from run to run.
Blocks marked ``console neo4j`` need the Neo4j test server.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

README = Path(__file__).parents[1] / "README.md"
BLOCK = re.compile(r"^```console( neo4j)?\n(.*?)^```", re.S | re.M)


@dataclass
class Step:
    command: str
    output: list[str]
    neo4j: bool


def steps(text: str) -> list[Step]:
    found: list[Step] = []
    for match in BLOCK.finditer(text):
        lines = match[2].splitlines()
        i = 0
        while i < len(lines):
            if not lines[i].startswith("$ "):
                raise AssertionError(f"README: output without a command: {lines[i]!r}")
            command = [lines[i][2:]]
            while command[-1].endswith("\\"):
                i += 1
                command.append(lines[i])
            marker = re.search(r"<<'?(\w+)'?", command[0])
            if marker:
                while lines[i] != marker[1]:
                    i += 1
                    command.append(lines[i])
            i += 1
            output = []
            while i < len(lines) and not lines[i].startswith("$ "):
                output.append(lines[i])
                i += 1
            found.append(Step("\n".join(command), output, bool(match[1])))
    return found


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether actual lines fit the shown lines, with "…" wildcards."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == "…":
        return any(matches(rest, actual[k:]) for k in range(len(actual) + 1))
    if not actual:
        return False
    pattern = ".*?".join(re.escape(part) for part in head.rstrip().split("…"))
    return re.fullmatch(pattern, actual[0].rstrip()) is not None and matches(rest, actual[1:])


def test_the_readme_walkthrough_runs_as_shown(tmp_path: Path) -> None:
    assert shutil.which("accords"), "the accords command is installed"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORDS_")}
    env.update(ACCORDS_USER="analyst", COLUMNS="200")
    neo4j = os.environ.get("ACCORDS_TEST_NEO4J")
    all_steps = steps(README.read_text())
    assert len(all_steps) >= 10
    for step in all_steps:
        if step.neo4j:
            if not neo4j:
                if os.environ.get("CI"):
                    pytest.fail("the README's Neo4j steps need the Neo4j test server")
                continue
            env["ACCORDS_NEO4J_URI"] = neo4j
        done = subprocess.run(
            ["bash", "-c", step.command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
        )
        actual = (done.stderr + done.stdout).splitlines()
        assert matches(step.output, actual), (
            f"README step:\n$ {step.command}\n--- shown ---\n"
            + "\n".join(step.output)
            + "\n--- printed ---\n"
            + "\n".join(actual)
        )
