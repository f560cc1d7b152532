"""Arbitrary bytes and arbitrary JSON given to import and record: the answer is 0 or 2,
never an internal error (3); a refused input changes no byte of the store; after an
accepted one, every read still answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accords.cli import cli
from accords.events.schema import CERTAINTY, SCHEMAS, SOURCE_KINDS

_RUNNER = CliRunner()


def _run(store: Path, *args: str) -> int:
    env = {"ACCORDS_STORE": str(store), "ACCORDS_USER": "tester"}
    return _RUNNER.invoke(cli, list(args), env=env).exit_code


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store with the seed, shared by every example (each refused one leaves it as it was)."""
    path = tmp_path_factory.mktemp("arbitrary") / "accords.db"
    assert _run(path, "init") == 0 and _run(path, "import", "--seed") == 0
    return path


scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
# Events that are nearly right, so that some are accepted: real types and field names, any values.
readable = st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=40)
words = st.one_of(readable, readable, readable, st.text(min_size=1, max_size=40))
statements = st.fixed_dictionaries(
    {"@type": st.sampled_from(["Agreement", "Stance", "Transfer", "Payment", "Nonsense"])},
    optional={
        "@id": st.sampled_from(["agreement/us-rw", "state/US", "transfer/x y", ""]) | words,
        "parties": st.lists(st.sampled_from(["state/US", "state/RW", "Rwanda", "x"]), max_size=3),
        "state": st.sampled_from(["state/RW", "state/ZZ"]) | words,
        "position": st.sampled_from(["denied", "willing"]) | words,
        "date": st.sampled_from(["2025-07-16", "16 July 2025", "2025-00"]) | words,
        "description": words,
        "@graph": json_values,
    },
)
keys = st.from_regex(r"\A[a-z][a-z0-9-]{0,20}\Z")
sources = st.fixed_dictionaries(
    {
        "type": st.just("SourceRegistered"),
        "body": st.fixed_dictionaries(
            {"title": words, "kind": st.sampled_from(SOURCE_KINDS)},
            optional={
                "url": st.sampled_from(["https://e.org/a%20b", "https://www.aljazeera.net/\u062a", "http://e.org"]),
                "published": st.sampled_from(["2025-07-16", "16 July 2025", "2025-06/2025-07", "2025"]),
                "publisher": words,
            },
        ),
    },
    optional={"key": keys},
)
nearly = st.fixed_dictionaries(
    {
        "type": st.just("SourceRegistered"),
        "body": st.fixed_dictionaries(
            {"title": words, "kind": st.sampled_from(SOURCE_KINDS) | words},
            optional={"url": words, "published": words, "publisher": words, "note": json_values},
        ),
    },
    optional={"key": st.text(max_size=20), "recorded_at": json_values},
)
claims = st.fixed_dictionaries(
    {
        "type": st.just("ClaimRecorded"),
        "body": st.fixed_dictionaries(
            {
                "source": st.just("src-global-negotiations") | words,
                "quote": words,
                "attributed_to": words,
                "certainty": st.sampled_from(CERTAINTY) | words,
                "statement": statements | json_values,
            },
        ),
    },
    optional={"key": keys},
)
events = st.one_of(
    sources,
    nearly,
    claims,
    st.fixed_dictionaries({"type": st.sampled_from(sorted(SCHEMAS)) | words, "body": json_values}),
)
inputs = st.one_of(
    st.binary(max_size=400),
    json_values.map(lambda v: json.dumps(v).encode()),
    events.map(lambda e: json.dumps(e, ensure_ascii=False).encode()),
    events.map(lambda e: json.dumps(e).encode()),
)


@given(data=inputs, command=st.sampled_from(["import", "record"]))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_arbitrary_input_is_accepted_or_refused_never_an_internal_error(store: Path, data: bytes, command: str) -> None:
    path = store.parent / ("in.jsonl" if command == "import" else "in.json")
    path.write_bytes(data + b"\n")
    before = store.read_bytes()
    code = _run(store, command, str(path))
    assert code in (0, 2), (command, data)
    if code == 2:
        assert store.read_bytes() == before, data
    elif store.read_bytes() != before:  # something was recorded: every read still answers
        for read in (["log"], ["query", "payments"], ["trace", "state/RW"], ["sparql", "ASK {}"]):
            assert _run(store, *read, "--format", "json") == 0, (read, data)
        assert _run(store, "export", "--format", "trig") == 0 and _run(store, "verify") == 0, data
