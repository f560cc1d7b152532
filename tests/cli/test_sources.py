"""`accords sources suggest`: derivations the sources suggest (events/wirecopy.py), and
what it leaves out: a derivation already declared, a page that only reads like wire
copy, quotes too short to tell copies apart."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Runner

STATEMENT = {"@id": "transfer/us-gh-2025-09", "@type": "Transfer", "from": "state/US", "to": "state/GH"}
COPY = "Fourteen deportees from the United States arrived in Accra on Friday, the foreign minister said."


def _source(key: str, title: str, **more: object) -> dict[str, object]:
    return {"type": "SourceRegistered", "key": key, "body": {"title": title, "kind": "news", **more}}


def _claim(key: str, source: str, quote: str) -> dict[str, object]:
    body = {"source": source, "quote": quote, "attributed_to": "the foreign minister", "certainty": "reported"}
    return {"type": "ClaimRecorded", "key": key, "body": {**body, "statement": STATEMENT}}


def test_suggestions_name_the_agency_and_the_copied_text(sqlite_run: Runner, tmp_path: Path) -> None:
    events = [
        _source("s-tribune", "Ghana receives deportees (AFP)"),
        _source("s-declared", "Ghana receives deportees (AFP)", derived_from=["actor/afp"]),
        _source("s-style", "Ghana receives deportees", note="AFP-style copy, credit not shown"),
        _source("s-first", "Deportees land in Accra", published="2025-09-06"),
        _source("s-later", "Accra: deportees arrive", published="2025-09-08"),
        _source("s-short", "Short", published="2025-09-09"),
        _source("s-wire", "Ghana deportations"),
        _claim("c-first", "s-first", COPY),
        _claim("c-later", "s-later", COPY.replace("Friday", "Friday evening")),
        _claim("c-short", "s-short", "Deportees arrived."),
        _claim("c-short-2", "s-style", "Deportees arrived."),
        _claim("c-wire", "s-wire", "They were not told where they were going, their lawyers told Reuters."),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    assert sqlite_run("import", str(path)).exit_code == 0
    done = sqlite_run("sources", "suggest", "--format", "json")
    assert done.exit_code == 0, done.stderr
    found = {(r["source"], r["derived from"]): r for r in json.loads(done.stdout)}
    assert set(found) == {("s-tribune", "actor/afp"), ("s-later", "s-first"), ("s-wire", "actor/reuters")}
    assert found[("s-tribune", "actor/afp")]["why"] == "title names 'AFP'"
    assert found[("s-wire", "actor/reuters")]["why"] == "the quote of c-wire names 'Reuters'"
    assert found[("s-later", "s-first")]["score"] >= 90
    # a stricter threshold leaves the reworded copy out
    strict = json.loads(sqlite_run("sources", "suggest", "--threshold", "99", "--format", "json").stdout)
    assert ("s-later", "s-first") not in {(r["source"], r["derived from"]) for r in strict}
    refused = sqlite_run("sources", "suggest", "--threshold", "101")
    assert refused.exit_code == 2 and "--threshold" in refused.stderr
    # judged, a suggestion is not made again; undone, it is
    reason = ("--reason", "the page credits Reuters")
    assert sqlite_run("sources", "derive", "s-wire", "actor/reuters", *reason, "--key", "j-wire").exit_code == 0
    judged = {
        (r["source"], r["derived from"])
        for r in json.loads(sqlite_run("sources", "suggest", "--format", "json").stdout)
    }
    assert judged == {("s-tribune", "actor/afp"), ("s-later", "s-first")}
    assert sqlite_run("sources", "undo", "j-wire", "--reason", "the credit was the photo's").exit_code == 0
    undone = {
        (r["source"], r["derived from"])
        for r in json.loads(sqlite_run("sources", "suggest", "--format", "json").stdout)
    }
    assert undone == set(found)
