"""A message or hint that tells the user to run a command names a command that exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click

from accords.cli import cli

ROOT = Path(__file__).parents[2]
ERRORS = {"InputError", "StoreError", "NotConforming", "AccordsError", "UnknownStateError", "QuantityError"}
# "run `accords init`", "rebuild it with accords project rdf": a command, not "an accords store"
COMMAND = re.compile(r"(?:^|`|\brun |\bwith |: )accords ([a-z][a-z0-9-]*)(?: ([a-z][a-z0-9-]*))?")


def _texts(node: ast.AST) -> list[str]:
    """The literal text of a string argument (the constant parts of an f-string)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))]
    if isinstance(node, ast.BinOp):
        return _texts(node.left) + _texts(node.right)
    return []


def _said_to_users() -> list[tuple[str, str]]:
    found = []
    for folder in ("accords", "events", "graph", "ontology", "queries"):
        for path in sorted((ROOT / folder).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in ERRORS:
                    found += [(f"{path.name}:{node.lineno}", text) for arg in node.args for text in _texts(arg)]
    return found


def test_every_command_a_message_names_exists() -> None:
    said = _said_to_users()
    named = [(where, m) for where, text in said for m in COMMAND.finditer(text)]
    assert len(named) >= 5, "the messages name commands"
    for where, match in named:
        command = cli.get_command(click.Context(cli), match[1])
        assert command is not None, f"{where}: no command 'accords {match[1]}'"
        if isinstance(command, click.Group) and match[2]:
            assert command.get_command(click.Context(command), match[2]) is not None, f"{where}: {match[0]}"
