"""Real 2025 reporting, recorded through the documented input format, holds what each quote states.

tests/corpus/*.jsonl are pages on third-country deportations (sources) and their quotes
(claims); each *.facts.yaml lists, written by hand from the quote, every number, date,
actor and value the quote states, and what the graph must hold for it (`expect`, a partial
statement in the input keys, with "polarity": "denied" for what a quote denies, or
{"speaker": ...} for who said it). A fact the vocabulary cannot hold has `expect: null`
and says why. The test imports the corpus with the
installed `accords` command, reads the exported dataset, and checks every fact in the
named graph of its own claim. It prints the share of stated facts the record holds.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import yaml

import accords

from accords.graph.terms import PREFIXES
from accords.ontology.expansion import expand
from accords.ontology.states import normalize_state_refs

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("*.jsonl"))
ACC = "https://w3id.org/accords/ns#"
PROVENANCE = ox.NamedNode("https://w3id.org/accords/graph/provenance")
ATTRIBUTED = ox.NamedNode("http://www.w3.org/ns/prov#wasAttributedTo")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
VARIABLE = "urn:accords:expected"
FLOOR = 0.95  # what is left out: the facts marked null, each with why


def _facts() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path in sorted(CORPUS.glob("*.facts.yaml")):
        for key, facts in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            for fact in facts:
                yield path.name, key, fact


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["accords", *args], cwd=folder, capture_output=True, text=True)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose store holds the whole corpus, imported with the installed command."""
    folder = tmp_path_factory.mktemp("corpus")
    assert _run(folder, "init").returncode == 0
    imported = _run(folder, "import", *map(str, FILES))
    assert imported.returncode == 0, imported.stderr
    return folder


@pytest.fixture(scope="module")
def dataset(recorded: Path) -> ox.Store:
    folder = recorded
    exported = _run(folder, "export", "--format", "nquads", "--graph", "all", "-o", "all.nq")
    assert exported.returncode == 0, exported.stderr
    store = ox.Store()
    store.bulk_load(path=str(folder / "all.nq"), format=ox.RdfFormat.N_QUADS)
    return store


def _claim(store: ox.Store, key: str) -> ox.NamedNode:
    (quad,) = store.quads_for_pattern(None, ox.NamedNode(ACC + "key"), ox.Literal(key), PROVENANCE)
    assert isinstance(quad.subject, ox.NamedNode)
    return quad.subject


def _same(expected: ox.NamedNode | ox.Literal | ox.BlankNode, found: Any) -> bool:
    # a number written 5 or "5" is one number: literals compare by their text
    if isinstance(expected, ox.Literal):
        return isinstance(found, ox.Literal) and expected.value == found.value
    return bool(expected == found)


def _holds(store: ox.Store, graph: ox.NamedNode, triples: list[Any]) -> bool:
    """Whether graph holds triples, unnamed nodes (IRIs under VARIABLE) standing for any node."""
    variable = lambda term: isinstance(term, ox.NamedNode) and term.value.startswith(VARIABLE)  # noqa: E731
    ordered = sorted(triples, key=lambda t: variable(t[0]))

    def solve(i: int, bound: dict[str, Any]) -> bool:
        if i == len(ordered):
            return True
        s, p, o = ordered[i]
        subject = bound.get(s.value) if variable(s) else s
        obj = bound.get(o.value) if variable(o) else (None if isinstance(o, ox.Literal) else o)
        for quad in store.quads_for_pattern(subject, p, obj, graph):
            if not variable(o) and not _same(o, quad.object):
                continue
            more = dict(bound)
            if variable(s):
                more[s.value] = quad.subject
            if variable(o):
                more[o.value] = quad.object
            if solve(i + 1, more):
                return True
        return False

    return solve(0, {})


def _held(store: ox.Store, key: str, expect: dict[str, Any]) -> bool:
    claim = _claim(store, key)
    if "polarity" in expect:  # what the quote denies: the claim's polarity, and the statement it denies
        expect = dict(expect)
        polarity = ox.NamedNode(ACC + expect.pop("polarity"))
        if not any(store.quads_for_pattern(claim, ox.NamedNode(ACC + "polarity"), polarity, PROVENANCE)):
            return False
    if "speaker" in expect:
        return any(
            expect["speaker"].casefold() in label.object.value.casefold()
            for said in store.quads_for_pattern(claim, ATTRIBUTED, None, PROVENANCE)
            for label in store.quads_for_pattern(said.object, LABEL, None, PROVENANCE)  # type: ignore[arg-type]
        )
    return _holds(store, claim, expand(normalize_state_refs(expect), VARIABLE))


def test_every_stated_fact_is_in_the_graph(dataset: ox.Store) -> None:
    stated, held, missed = Counter[str](), Counter[str](), []
    for name, key, fact in _facts():
        stated[fact["kind"]] += 1
        if fact.get("expect") is None:
            assert fact.get("why"), f"{name} {key}: a fact the record cannot hold says why"
            continue
        if _held(dataset, key, fact["expect"]):
            held[fact["kind"]] += 1
        else:
            missed.append(f"{name} {key}: {fact['says']!r} -> {json.dumps(fact['expect'])}")
    assert not missed, "\n".join(missed)
    print("\nfacts the corpus states, and the share the record holds:")
    for kind in sorted(stated):
        print(f"  {kind:7} {held[kind]:4} of {stated[kind]:4}  {held[kind] / stated[kind]:.1%}")
    share = sum(held.values()) / sum(stated.values())
    print(f"  all     {sum(held.values()):4} of {sum(stated.values()):4}  {share:.1%}")
    assert share >= FLOOR


def test_the_corpus_is_real_reporting_beyond_the_seed() -> None:
    events = [json.loads(line) for path in FILES for line in path.read_text(encoding="utf-8").splitlines() if line]
    sources = [e for e in events if e["type"] == "SourceRegistered"]
    claims = [e for e in events if e["type"] == "ClaimRecorded"]
    assert len({s["body"]["url"] for s in sources}) >= 30
    assert len(claims) >= 60
    by_key: dict[str, list[str]] = {}
    for _name, key, fact in _facts():
        by_key.setdefault(key, []).append(fact["says"])
    assert set(by_key) == {c["key"] for c in claims}, "every claim has its facts written down"
    for claim in claims:  # each fact names the words of its quote that state it
        quote = claim["body"]["quote"]
        for says in by_key[claim["key"]]:
            for part in re.split(r"\.\.\.|…", says):
                assert part.strip(" “”\"'") in quote, (claim["key"], says)


def _matches(entry: dict[str, Any], row: dict[str, Any]) -> bool:
    prop = row["property"]["value"]
    word = "exists" if prop.endswith("#type") else prop.rpartition("#")[2]
    return word == entry["property"] and set(entry["claims"]) <= set(row["claims"]["value"].split())


def test_the_disagreements_of_the_pages_surface(recorded: Path) -> None:
    """Every disagreement written down by hand (disagreements.yaml) is a row of
    `accords query contradictions`, and at least 90% of its rows are such disagreements."""
    listed = yaml.safe_load((CORPUS / "disagreements.yaml").read_text(encoding="utf-8"))
    answered = _run(recorded, "query", "contradictions", "--format", "json")
    assert answered.returncode == 0, answered.stderr
    rows = json.loads(answered.stdout)["results"]["bindings"]
    missing = [e for e in listed["real"] if not any(_matches(e, r) for r in rows)]
    real = [r for r in rows if any(_matches(e, r) for e in listed["real"])]
    known_false = [r for r in rows if r not in real and any(_matches(e, r) for e in listed["not_real"])]
    precision = len(real) / len(rows)
    print(
        f"\ndisagreements written down: {len(listed['real'])}, surfaced: {len(listed['real']) - len(missing)}; "
        f"rows flagged: {len(rows)}, real: {len(real)} ({precision:.1%}), "
        f"known not real: {len(known_false)}, unexplained: {len(rows) - len(real) - len(known_false)}"
    )
    for entry in listed["missed"]:
        print(f"  not surfaced, and why: {' / '.join(entry['claims'])}: {entry['why']}")
    assert len(listed["real"]) >= 15
    assert missing == []
    assert precision >= 0.90


# Each value a named query shows beside a claim is one that very claim states: a row never
# pairs one page's claim with another page's value (payment/us-sv-cecot: $6 million in one
# claim, $4.76 million in another). Query -> its parameters, and column -> property.
STATED: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "payments": ({}, {"amount": "acc:amount", "currency": "schema:currency", "consideration": "acc:consideration"}),
    "agreements-by-state": ({"state": "state/US"}, {"status": "acc:status", "legal_form": "acc:legalForm"}),
    "court-rulings": ({}, {"date": "acc:date", "court": "acc:courtName", "effect": "acc:effectOnTransfers"}),
    "caps-and-quotas": ({"state": "state/XK"}, {"number": "acc:number", "per": "acc:per", "of": "acc:of"}),
}


@pytest.mark.parametrize("name", sorted(STATED))
def test_every_row_quotes_the_claim_that_states_its_values(recorded: Path, dataset: ox.Store, name: str) -> None:
    params, columns = STATED[name]
    given = [arg for k, v in params.items() for arg in ("--param", f"{k}={v}")]
    answered = _run(recorded, "query", name, *given, "--format", "json")
    assert answered.returncode == 0, answered.stderr
    checked = 0
    for row in json.loads(answered.stdout)["results"]["bindings"]:
        claim = ox.NamedNode(row["claim"]["value"])
        for column, prop in columns.items():
            if column not in row:
                continue
            prefix, _, local = prop.partition(":")
            stated = dataset.quads_for_pattern(None, ox.NamedNode(PREFIXES[prefix] + local), None, claim)
            assert row[column]["value"] in {q.object.value for q in stated}, (name, column, row)
            checked += 1
    assert checked > 5


def test_trace_counts_independent_sources_as_a_reader_does(recorded: Path) -> None:
    """Wire copy is declared through its agency (derived_from "actor/reuters"), and `trace`
    counts what stands behind each thing as the hand count in independence.yaml does: the
    sources that support it, and each agency's copies once."""
    counted = yaml.safe_load((CORPUS / "independence.yaml").read_text(encoding="utf-8"))
    with accords.open(recorded / "accords.db") as record:
        for thing, hand in counted.items():
            traced = record.trace(thing)
            supporting = {c.source_key for c in traced.claims if c.stance == "supporting" and c.status == "active"}
            assert supporting == set(hand["sources"]), thing
            assert traced.independent_sources == hand["independent"], thing
    print(f"\nindependent sources counted by hand for {len(counted)} things: trace gives each count")
    assert len(counted) >= 10


def test_sources_suggest_finds_the_wire_copy_declared_by_hand(tmp_path: Path) -> None:
    """The corpus with its derivations left out: `accords sources suggest` proposes them
    again from what the pages say (an agency named, a quote near-duplicated), and most of
    what it proposes is what was declared by hand (a suggestion is right when the source
    and what it suggests share their root in the declared derivations)."""
    declared: dict[str, str] = {}
    stripped = tmp_path / "stripped.jsonl"
    with stripped.open("w", encoding="utf-8") as out:
        for path in FILES:
            for line in path.read_text(encoding="utf-8").splitlines():
                event = json.loads(line)
                if event["type"] == "SourceRegistered" and "derived_from" in event["body"]:
                    (declared[event["key"]],) = event["body"].pop("derived_from")
                out.write(json.dumps(event) + "\n")
    assert _run(tmp_path, "init").returncode == 0
    assert _run(tmp_path, "import", str(stripped)).returncode == 0

    def root(source: str) -> str:
        while source in declared:
            source = declared[source]
        return source

    answered = _run(tmp_path, "sources", "suggest", "--format", "json")
    assert answered.returncode == 0, answered.stderr
    rows = json.loads(answered.stdout)
    right = [r for r in rows if root(r["source"]) == root(r["derived from"])]
    found = {r["source"] for r in right} & set(declared)
    precision = len(right) / len(rows)
    print(
        f"\nsources suggest: {len(rows)} suggestions, {len(right)} right ({precision:.1%});"
        f" {len(found)} of the {len(declared)} derivations declared by hand found"
    )
    for r in rows:
        if r not in right:
            print(f"  not declared: {r['source']} -> {r['derived from']} ({r['why']})")
    assert precision >= 0.8
    assert len(found) >= len(declared) * 2 // 3
