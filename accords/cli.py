"""The accords command line: a thin shell over the library; errors become messages here."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from accords import __version__
from accords.events.errors import AccordsError
from accords.options import store_option

# Each command, and where it lives: a module is imported when its command runs (or --help
# lists them all), so that `accords --version` or `accords record` loads nothing else.
COMMANDS = {
    "init": "record:init",
    "record": "record:record_",
    "import": "record:import_",
    "capture": "capture:capture",
    "export": "record:export",
    "retract": "record:retract",
    "correct": "record:correct",
    "erase": "erase:erase",
    "statements": "statements:statements",
    "sources": "sources:sources",
    "log": "browse:log_",
    "show": "browse:show",
    "verify": "audit:verify",
    "checkpoint": "audit:checkpoint",
    "prove": "audit:prove",
    "key": "keys:key",
    "sparql": "ask:sparql",
    "query": "ask:query",
    "replay": "history:replay",
    "diff": "history:diff",
    "trace": "trace:trace",
    "project": "project:project",
    "cypher": "cypher:cypher",
    "demo": "demo:demo",
    "validate": "validate:validate",
    "serve": "serve:serve",
}

EXIT_CODES = """Exit codes: 0 ok, 1 the data does not conform or does not verify,
2 bad input or usage, 3 internal error."""


class AccordsGroup(click.Group):
    """The one place where errors are turned into a message on stderr and an exit code;
    commands are loaded from COMMANDS when they are asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name].split(":")
        command = getattr(importlib.import_module(f"accords.{module}"), attribute)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except AccordsError as e:
            from accords.output import say

            say(f"error: {e.message}", err=True)
            if e.hint:
                say(f"hint: {e.hint}", err=True)
            ctx.exit(e.exit_code)
        except BrokenPipeError:
            # A pipe closed early (`accords log | head`) is not an error.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as e:
            if ctx.params.get("debug"):
                raise
            from accords.output import say

            say(f"internal error: {type(e).__name__}: {e}", err=True)
            say("hint: run again with --debug for the traceback, and report it", err=True)
            ctx.exit(3)


@click.group(
    cls=AccordsGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES,
)
@store_option
@click.option("--debug", is_flag=True, help="Show the traceback of internal errors.")
@click.version_option(__version__, prog_name="accords")
def cli(store: str | None, debug: bool) -> None:
    """accords: an event-sourced, sourced and provable record of deportation diplomacy.

    Every fact is a claim event in an append-only, hash-chained log, quoting its source.

    \b
    Example:
      accords init
      accords import events.jsonl
      accords log
      accords verify
    """


WHOLE_PROCESS = False
"""Whether this process is the accords command (main()), not a caller of cli in its own
process (a test's CliRunner, a notebook): only then may a command fork (ask._apart)."""


def main() -> None:
    """Entry point of the `accords` command. An argument that is not UTF-8 (a key, a name
    or a field's value in bytes of another encoding) is bad input, refused before any command."""
    global WHOLE_PROCESS
    WHOLE_PROCESS = True
    for n, arg in enumerate(sys.argv[1:], 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raw = arg.encode("utf-8", "surrogateescape")
            sys.stderr.write(f"error: argument {n} is not valid UTF-8: {raw!r}\n")
            sys.stderr.write("hint: give keys, names and values as UTF-8 text\n")
            sys.exit(2)
    cli.main(prog_name="accords")
