"""Reading events from JSONL and YAML, and writing the log as JSONL, one event per line.

Input lines are ``{"type": …, "key": …, "body": {…}}``. Lines written by `export` carry
the whole envelope; re-importing them keeps recorded_at and recorded_by, so the chain
(and its head hash) comes out identical.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import IO, Any

import orjson

from accords.events.errors import InputError
from accords.events.log import Draft
from accords.events.model import Event, event_id
from accords.events.canonical import canonical
from accords.events.schema import SCHEMAS

_ENVELOPE = {"type", "key", "body", "recorded_at", "recorded_by", "seq", "id", "prev", "hash"}


@cache
def _loader() -> Any:
    """A YAML loader without implicit timestamps: dates stay the EDTF text the user wrote.

    Made on first use: yaml takes ~25 ms to import, and most commands read no YAML.
    """
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def draft(data: Any, where: str) -> Draft:
    """A Draft from one parsed event object; InputError naming where and which field."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected an event object, got {type(data).__name__}")
    unknown = sorted(set(data) - _ENVELOPE)
    if unknown:
        raise InputError(f"{where}: {unknown[0]}: unknown field", "events have type, key, body")
    type_ = data.get("type")
    if not isinstance(type_, str) or type_ not in SCHEMAS:
        raise InputError(f"{where}: type: unknown event type {type_!r}", f"one of: {', '.join(SCHEMAS)}")
    if "body" not in data:
        raise InputError(f"{where}: body: required")
    given_id = data.get("id")
    if given_id is not None and given_id != event_id(type_, canonical(data["body"])):
        raise InputError(f"{where}: id: does not match the body (was the line altered?)")
    recorded_by = data.get("recorded_by")
    if recorded_by is not None and not isinstance(recorded_by, str):
        raise InputError(f"{where}: recorded_by: expected a name, got {type(recorded_by).__name__}")
    return Draft(type_, data["body"], data.get("key"), data.get("recorded_at"), recorded_by, where)


def read_jsonl(stream: IO[bytes], name: str) -> Iterator[Draft]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError as e:
            # the line is the file's; of orjson's position, only the column means anything
            where = re.sub(r": line 1 column (\d+) \(char \d+\)$", r" (column \1)", str(e))
            hint = "YAML on stdin needs --input-format yaml" if name == "stdin" and number == 1 else None
            raise InputError(f"{name}:{number}: malformed JSON: {where}", hint) from None
        yield draft(data, f"{name}:{number}")


def read_yaml(stream: IO[bytes], name: str) -> Iterator[Draft]:
    """Events from YAML: one event per document, or a list of events per document."""
    import yaml

    loader = _loader()(stream)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            items = node.value if isinstance(node, yaml.SequenceNode) else [node]
            for item in items:
                data = loader.construct_object(item, deep=True)
                yield draft(data, f"{name}:{item.start_mark.line + 1}")
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise InputError(f"{name}{line}: malformed YAML: {getattr(e, 'problem', e)}") from None
    finally:
        loader.dispose()


def read_events(stream: IO[bytes], name: str, fmt: str | None = None) -> Iterator[Draft]:
    """Drafts from a JSONL or YAML stream; the format comes from fmt or the file name."""
    if fmt is None:
        fmt = "yaml" if name.endswith((".yaml", ".yml")) else "jsonl"
    return read_yaml(stream, name) if fmt == "yaml" else read_jsonl(stream, name)


def write_jsonl(events: Iterable[Event], out: IO[bytes]) -> int:
    count = 0
    for event in events:
        out.write(orjson.dumps(event.envelope()) + b"\n")
        count += 1
    return count
