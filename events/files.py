"""Reading events from JSON, JSONL and YAML, and writing the log as JSONL, one event per line.

Input lines are ``{"type": …, "key": …, "body": {…}}``. Lines written by `export` carry
the whole envelope; re-importing them keeps recorded_at and recorded_by, so the chain
(and its head hash) comes out identical.

Input is read strictly, as the file says it is: JSON as JSON (no trailing commas, no NaN),
a key given twice in one object is refused (whichever won would be a silent choice), and
YAML has no aliases (a few lines of nested aliases expand to gigabytes). No line or file
holds more than MAX_EVENT bytes for an event.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import IO, Any

import orjson

from accords.events.errors import InputError
from accords.events.log import Draft
from accords.events.model import MAX_EVENT, TOO_BIG, Event, event_id
from accords.events.canonical import canonical
from accords.events.personal import Keys, exported_keys
from accords.events.schema import MAX_DEPTH, SCHEMAS, check_depth, too_deep

_ENVELOPE = {"type", "key", "body", "recorded_at", "recorded_by", "seq", "id", "prev", "hash", "keys"}


@cache
def _loader() -> Any:
    """A YAML loader without implicit timestamps: dates stay the EDTF text the user wrote.

    Made on first use: yaml takes ~25 ms to import, and most commands read no YAML.
    """
    import yaml

    class Loader(yaml.SafeLoader):
        source = "stdin"  # the file's name, for messages
        depth = 0  # how deep the node being composed is

        def compose_node(self, parent: Any, index: Any) -> Any:
            line = self.peek_event().start_mark.line + 1  # type: ignore[no-untyped-call]
            if self.check_event(yaml.AliasEvent):
                raise InputError(
                    f"{self.source}:{line}: an alias (*name) is refused", "write the value out where it is used"
                )
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH + 3:  # a list of events, an event, its body
                    raise too_deep(f"{self.source}:{line}", MAX_DEPTH + 3)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise InputError(
                        f"{self.source}:{key_node.start_mark.line + 1}: {key}: given twice in one mapping",
                        "give each key once",
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

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
    return Draft(
        type_,
        data["body"],
        data.get("key"),
        data.get("recorded_at"),
        recorded_by,
        where,
        _chain(data, where),
        data.get("keys"),
    )


def _chain(data: dict[str, Any], where: str) -> tuple[int, str, str] | None:
    """The seq, prev and hash a line of an export gives (the log checks them against its
    own); a line without them gives no record time or recorder either: the log stamps those."""
    given = [name for name in ("seq", "prev", "hash") if name in data]
    if not given:
        for name in ("recorded_at", "recorded_by"):
            if name in data:
                raise InputError(
                    f"{where}: {name}: given without the event's seq, prev and hash",
                    "the log stamps when and by whom it records an event: leave it out"
                    " (a line of accords export gives all of them, and each is checked)",
                )
        return None
    if len(given) < 3:
        missing = next(name for name in ("seq", "prev", "hash") if name not in data)
        raise InputError(
            f"{where}: {missing}: required with {given[0]} (a line of accords export gives seq, prev and hash)"
        )
    seq, prev, hash_ = data["seq"], data["prev"], data["hash"]
    if type(seq) is not int or not isinstance(prev, str) or not isinstance(hash_, str):
        raise InputError(f"{where}: seq, prev, hash: expected a number and two hashes")
    return seq, prev, hash_


def _duplicates_refused(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object's keys and values as the json module reads them, refused if a key is given twice."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise InputError(f"{key}: given twice in one object", "give each key once")
        found[key] = value
    return found


def parse_json(text: bytes, where: str, hint: str | None = None) -> Any:
    """One JSON value, strictly: InputError naming where for malformed JSON or a key given
    twice in one object. orjson reads it; when its output is not the very bytes read (any
    input but compact JSON such as export writes), the json module reads it again, to see
    every key as given."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as e:
        try:
            text.decode()
        except UnicodeDecodeError as bad:
            raise InputError(f"{where}: not UTF-8: byte {bad.object[bad.start]:#04x} at offset {bad.start}") from None
        # the text is the file's; of orjson's position, only the column means anything
        at = re.sub(r": line 1 column (\d+) \(char \d+\)$", r" (column \1)", str(e))
        raise InputError(f"{where}: malformed JSON: {at}", hint) from None
    try:
        same = orjson.dumps(data) == text.strip()
    except orjson.JSONEncodeError:  # nested deeper than orjson writes
        same = False
    if not same:
        check_depth(data, where, MAX_DEPTH + 2)  # an event around its body, which holds objects
        try:
            json.loads(text, object_pairs_hook=_duplicates_refused)
        except InputError as e:
            raise e.at(where) from None
    return data


def _lines(stream: IO[bytes], name: str) -> Iterator[tuple[int, bytes]]:
    """The lines of stream, numbered, each read only up to MAX_EVENT bytes."""
    for number, line in enumerate(iter(lambda: stream.readline(MAX_EVENT + 1), b""), 1):
        if len(line) > MAX_EVENT and not line.endswith(b"\n"):
            raise InputError(f"{name}:{number}: longer than {MAX_EVENT:,} bytes", TOO_BIG)
        yield number, line


def read_jsonl(stream: IO[bytes], name: str) -> Iterator[Draft]:
    for number, line in _lines(stream, name):
        if not line.strip():
            continue
        hint = "YAML on stdin needs --input-format yaml" if name == "stdin" and number == 1 else None
        yield draft(parse_json(line, f"{name}:{number}", hint), f"{name}:{number}")


def read_one(stream: IO[bytes], name: str) -> Draft:
    """The one event of a file `record` reads: JSON when it is named .json or begins with
    "{", YAML otherwise."""
    text = stream.read(MAX_EVENT + 1)
    if len(text) > MAX_EVENT:
        raise InputError(f"{name}: longer than {MAX_EVENT:,} bytes", TOO_BIG)
    if name.endswith(".json") or not name.endswith((".yaml", ".yml")) and text.lstrip()[:1] == b"{":
        return draft(parse_json(text, name), name)
    drafts = list(read_yaml(io.BytesIO(text), name))
    if len(drafts) != 1:
        raise InputError(f"{name}: holds {len(drafts)} events; `accords import` takes many")
    return drafts[0]


def read_yaml(stream: IO[bytes], name: str) -> Iterator[Draft]:
    """Events from YAML: one event per document, or a list of events per document."""
    import yaml

    loader = _loader()(stream)
    loader.source = name
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


def write_jsonl(events: Iterable[Event], out: IO[bytes], keys: Keys | None = None) -> int:
    """The events as lines an import takes back; a claim naming persons carries the keys of
    those this store holds (keys), so that their data survives the trip and an erasure,
    which destroys a key, leaves it out of every later export."""
    count = 0
    for event in events:
        line = event.envelope()
        if keys is not None and event.type == "ClaimRecorded" and (held := exported_keys(line["body"], keys)):
            line["keys"] = held
        out.write(orjson.dumps(line) + b"\n")
        count += 1
    return count
