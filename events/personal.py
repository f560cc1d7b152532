"""A person's data, kept apart from the chain so that it can be forgotten (crypto-shredding).

A claim may name private persons (deportees, not officials: an official is an actor). The
recorder marks them in the claim's body:

    "persons": [{"id": "person/p1", "name": "Orville Etoria",
                 "details": {"nationality": "Jamaica", "age": 62},
                 "mentions": ["Orville Etoria", "Etoria"]}]

and before the body is hashed each person is sealed: their name, details and mentions are
encrypted with AES-SIV under a key of their own, and every mention in the quote becomes a
mark, ``⟦person/p1#1⟧`` (the first mention). The chain covers only the marks and the
ciphertext. The keys live in a table of the store beside the events, outside the chain.

``accords erase`` records a PersonErased event and destroys the key (its row keeps only the
person's id, so the erasure is final). From then on the person reads as ``[erased]``
everywhere the data was, the chain still verifies, and no proof changes.

AES-SIV is deterministic: the same person, key and data give the same ciphertext, so
recording a line twice is still one event, and an export re-imports byte for byte. The
person's id is bound to its ciphertext as associated data: a sealed person copied under
another id does not open.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any, Protocol

import orjson

from accords.events.canonical import canonical
from accords.events.errors import InputError
from accords.events.model import Event
from accords.events.store import Recorder

ERASED = "[erased]"  # what a person erased reads as, in the quote and in their place
WITHHELD = "[withheld]"  # a person whose key this store does not hold (a log imported without keys)
KEY_BYTES = 64  # AES-256-SIV
MARK = re.compile(r"⟦(person/[^⟦⟧#\s]+)#([1-9][0-9]{0,3})⟧")
_PERSON = re.compile(r"person/[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_FIELDS = {"id", "name", "details", "mentions"}
_SEALED = {"id", "sealed"}
_DETAIL_KEY = re.compile(r"[a-z][a-z0-9_]{0,31}")

Keys = Mapping[str, bytes | None]
"""The person keys a store holds, by person id; None where the person was erased."""


class KeyTable(Protocol):
    """Where a write transaction keeps person keys (the store's person_keys table)."""

    def person_keys(self, persons: list[str]) -> dict[str, bytes | None]: ...

    def keep_person_keys(self, keys: list[tuple[str, bytes]]) -> None: ...

    def erase_person_key(self, person: str) -> None: ...


class Keyring:
    """The person keys one append reads, makes and destroys, in its transaction."""

    def __init__(self, table: KeyTable) -> None:
        self.table = table
        self.known: dict[str, bytes | None] = {}
        self.absent: set[str] = set()
        self.made: list[tuple[str, bytes]] = []  # kept by flush(), a chunk's at once

    def preload(self, bodies: Iterable[Any]) -> None:
        """Look up the keys of the persons these bodies name in one query, not one each."""
        self._load(
            [
                p["id"]
                for b in bodies
                if isinstance(b, dict) and isinstance(b.get("persons"), list)
                for p in b["persons"]
                if isinstance(p, dict) and isinstance(p.get("id"), str)
            ]
        )

    def _load(self, persons: list[str]) -> None:
        wanted = [p for p in set(persons) if p not in self.known and p not in self.absent]
        if wanted:
            found = self.table.person_keys(wanted)
            self.known.update(found)
            self.absent.update(set(wanted) - found.keys())

    def _keep(self, person: str, key: bytes) -> None:
        self.made.append((person, key))
        self.known[person] = key
        self.absent.discard(person)

    def flush(self) -> None:
        """Write the keys made or taken since the last flush."""
        if self.made:
            self.table.keep_person_keys(self.made)
            self.made = []

    def get(self, person: str) -> bytes | None:
        self._load([person])
        return self.known.get(person)

    def erased(self, person: str) -> bool:
        self._load([person])
        return person in self.known and self.known[person] is None

    def key_for(self, person: str) -> bytes:
        """The person's key, made and kept if this store holds none; InputError if erased."""
        if self.erased(person):
            raise InputError(
                f"{person} was erased: their data can no longer be recorded under that id",
                "a person named again after an erasure is recorded under a new id",
            )
        key = self.get(person)
        if key is None:
            key = os.urandom(KEY_BYTES)
            self._keep(person, key)
        return key

    def offer_all(self, keys: Any, body: Any) -> None:
        """Keep the keys an exported line carries for the persons its body names, unless a
        person was erased here (the key is dropped: an erasure is final) or a key is held
        already (it must be the same)."""
        named = {p.get("id") for p in body.get("persons", ()) if isinstance(p, dict)} if isinstance(body, dict) else ()
        if not isinstance(keys, dict) or not set(keys) <= set(named):
            raise InputError("keys: expected the keys of the persons the body names, by their id")
        for person, encoded in keys.items():
            key = _decoded_key(encoded, f"keys.{person}")
            if self.erased(person):
                continue
            held = self.get(person)
            if held is None:
                self._keep(person, key)
            elif held != key:
                raise InputError(f"keys.{person}: another key than the one this store holds for that person")

    def erase(self, person: str) -> None:
        self._load([person])
        self.flush()
        self.table.erase_person_key(person)
        self.known[person] = None
        self.absent.discard(person)


def _decoded_key(encoded: Any, name: str) -> bytes:
    try:
        key = base64.b64decode(encoded, validate=True) if isinstance(encoded, str) else b""
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise InputError(f"{name}: expected a person key ({KEY_BYTES} bytes in base64)")
    return key


def check_person(value: Any, name: str) -> str:
    """A person's id by the rule that mints their IRI: person/ and a token (graph: entity_iri)."""
    if not isinstance(value, str) or not _PERSON.fullmatch(value):
        raise InputError(
            f"{name}: {value!r} is not a person's id",
            'write "person/" and a token of letters, digits, . _ -, such as "person/eswatini-5-1"',
        )
    return value


def _folded(text: str) -> str:
    if text.isascii():
        return text.casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _check_plain(person: Any, quote: str, i: int) -> dict[str, Any]:
    name = f"body.persons[{i}]"
    if not isinstance(person, dict):
        raise InputError(f"{name}: expected an object with id, name, details, mentions")
    unknown = sorted(set(person) - _FIELDS)
    if unknown:
        raise InputError(f"{name}.{unknown[0]}: unknown field", "a person has id, name, details, mentions")
    pid = check_person(person.get("id"), f"{name}.id")
    full = person.get("name")
    if not isinstance(full, str) or not full.strip():
        raise InputError(f"{name}.name: required: the person's name as the source gives it")
    words = [w for w in re.findall(r"\w+", _folded(full)) if len(w) >= 3]
    token = _folded(pid.split("/", 1)[1])
    spelled = next((w for w in words if w in token), None)
    if spelled is not None:
        raise InputError(
            f"{name}.id: {pid!r} spells part of the name ({spelled!r})",
            "the id stays in the chain after an erasure: use a token that says nothing of the person",
        )
    details = person.get("details", {})
    if not isinstance(details, dict) or any(
        not isinstance(k, str) or not _DETAIL_KEY.fullmatch(k) or isinstance(v, bool) or not isinstance(v, str | int)
        for k, v in details.items()
    ):
        raise InputError(
            f"{name}.details: expected an object of words to text or whole numbers",
            '{"nationality": "Jamaica", "age": 62}',
        )
    mentions = person.get("mentions", [full] if full in quote else [])
    if not isinstance(mentions, list) or not all(isinstance(m, str) and m.strip() for m in mentions):
        raise InputError(f"{name}.mentions: expected a list of the words of the quote that name the person")
    for m in mentions:
        if m not in quote:
            raise InputError(f"{name}.mentions: {m!r} does not occur in the quote", "copy it from the quote exactly")
    if len(set(mentions)) < len(mentions):
        raise InputError(f"{name}.mentions: a mention is given twice")
    return {"id": pid, "name": full, "details": details, "mentions": mentions}


def seal(body: dict[str, Any], keyring: Keyring) -> dict[str, Any]:
    """A checked claim body whose persons are given in plain (or already sealed, as an
    export gives them), with each plain person sealed and their mentions marked in the quote."""
    persons = body["persons"]
    if not isinstance(persons, list) or not persons:
        raise InputError("body.persons: expected a list of the persons the quote names")
    quote: str = body["quote"]
    if "⟦" in quote and not all(isinstance(p, dict) and "sealed" in p for p in persons):
        raise InputError("body.quote: holds ⟦, which marks where a person is named", "write it as [ in the quote")
    if all(isinstance(p, dict) and "sealed" in p for p in persons):
        return _check_sealed(body)
    plain = [_check_plain(p, quote, i) for i, p in enumerate(persons)]
    ids = [p["id"] for p in plain]
    if len(set(ids)) < len(ids):
        raise InputError("body.persons: a person is given twice", "list each once, with all their mentions")
    marks = {m: f"⟦{p['id']}#{n}⟧" for p in plain for n, m in enumerate(p["mentions"], 1)}
    quote = _marked(quote, marks)
    sealed = [{"id": p["id"], "sealed": _encrypt(keyring.key_for(p["id"]), p)} for p in plain]
    return {**body, "quote": quote, "persons": sealed}


def _marked(quote: str, marks: dict[str, str]) -> str:
    """quote with every occurrence of each mention replaced by its mark, scanning from the
    left, the longest where two begin at one place (a regular expression of the mentions
    would do the same, compiled anew for each claim: most of the cost of sealing)."""
    longest_first = sorted(marks, key=len, reverse=True)
    out, at = [], 0
    while True:
        found = [(quote.find(m, at), -len(m), m) for m in longest_first]
        start, _, mention = min(((i, n, m) for i, n, m in found if i >= 0), default=(-1, 0, ""))
        if start < 0:
            break
        out += [quote[at:start], marks[mention]]
        at = start + len(mention)
    return "".join(out) + quote[at:]


def _check_sealed(body: dict[str, Any]) -> dict[str, Any]:
    ids = []
    for i, person in enumerate(body["persons"]):
        if set(person) != _SEALED or not isinstance(person["sealed"], str):
            raise InputError(f"body.persons[{i}]: a sealed person has exactly id and sealed")
        ids.append(check_person(person["id"], f"body.persons[{i}].id"))
        try:
            base64.b64decode(person["sealed"], validate=True)
        except (binascii.Error, ValueError):
            raise InputError(f"body.persons[{i}].sealed: not base64") from None
    strangers = {m[1] for m in MARK.finditer(body["quote"])} - set(ids)
    if strangers:
        raise InputError(f"body.quote: marks {sorted(strangers)[0]}, whom body.persons does not list")
    return body


def _encrypt(key: bytes, person: dict[str, Any]) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESSIV

    # the same person and data give the same bytes, and so the same seal (keys sorted)
    data = orjson.dumps({k: person[k] for k in ("name", "details", "mentions")}, option=orjson.OPT_SORT_KEYS)
    return base64.b64encode(AESSIV(key).encrypt(data, [person["id"].encode()])).decode()


def _decrypt(key: bytes, person: dict[str, Any]) -> dict[str, Any] | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESSIV

    try:
        data = AESSIV(key).decrypt(base64.b64decode(person["sealed"]), [person["id"].encode()])
    except (InvalidTag, ValueError):
        return None
    opened: dict[str, Any] = orjson.loads(data)
    return opened


def reveal(body: dict[str, Any], keys: Keys) -> dict[str, Any]:
    """A claim body as a reader sees it: each person opened with the store's key (or read
    as erased or withheld), and each mark in the quote given back its words."""

    def gone(pid: str) -> str:
        return ERASED if pid in keys and keys[pid] is None else WITHHELD

    opened: dict[str, dict[str, Any]] = {}
    persons = []
    for person in body["persons"]:
        pid = person["id"]
        key = keys.get(pid)
        data = _decrypt(key, person) if key is not None else None
        if data is None:
            persons.append({"id": pid, "name": gone(pid), "details": {}, "mentions": []})
        else:
            opened[pid] = data
            persons.append({"id": pid, **data})

    def words(mark: re.Match[str]) -> str:
        data = opened.get(mark[1])
        if data is None:
            return gone(mark[1])
        mentions = data["mentions"]
        n = int(mark[2])
        return str(mentions[n - 1]) if n <= len(mentions) else WITHHELD

    return {**body, "quote": MARK.sub(words, body["quote"]), "persons": persons}


def revealed(events: Iterable[Event], keys: Keys) -> Iterator[Event]:
    """events, each claim that names persons given the body a reader sees (reveal): what the
    projections fold. Its hash is still the stored body's: these events are for reading."""
    for event in events:
        if event.type == "ClaimRecorded" and b'"persons":' in event.body:
            yield replace(event, body=canonical(reveal(event.data(), keys)))
        else:
            yield event


def exported_keys(body: dict[str, Any], keys: Keys) -> dict[str, str]:
    """The keys an exported line carries for its persons: those this store still holds."""
    out = {}
    for person in body.get("persons", []):
        key = keys.get(person["id"])
        if key is not None:
            out[person["id"]] = base64.b64encode(key).decode()
    return out


def reading(recorder: Recorder, start: int = 1, stop: int | None = None) -> Iterator[Event]:
    """The events start..stop of recorder as a reader sees them (revealed): what every
    projection and every listing of the log reads."""
    return revealed(recorder.read(start, stop), recorder.person_keys())
