"""The bodies of the event types (DESIGN §3): fields, types, choices and references.

A body is checked and normalised before it is hashed: unknown fields are refused (a
typo must not vanish silently), EDTF dates are validated, human dates are rewritten as
EDTF, and references (a key, an id or an unambiguous id prefix) are replaced by the full
id of an earlier event of the right type.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from accords.events.errors import InputError
from accords.events import dates, personal
from accords.events.model import Statement

Resolve = Callable[[str, tuple[str, ...]], str]
"""Resolve a reference to the full id of an earlier event of one of the given types."""

Normalize = Callable[[Any], Statement]
"""Normalise a claim's statement (statements.normalize_statement), or give its outcome."""


def normalize_statement(value: Any) -> Statement:
    """statements.normalize_statement, imported on the first claim: the statement check
    brings rdflib and the compiled shapes, which no other event and no reading command needs."""
    from accords.events.statement_checks import normalize_statement as normalize

    return normalize(value)


CERTAINTY = ("confirmed", "reported", "alleged", "rumoured")
POLARITY = ("affirmed", "denied")
SOURCE_KINDS = (
    "news",
    "wire",
    "aggregator",
    "opinion",
    "press_release",
    "government",
    "official_register",
    "court",
    "court_filing",
    "ngo",
    "intergovernmental",
    "leaked_document",
    "statement",
    "report",
    "academic",
    "social_media",
    "interview",
    "other",
)
REASONS = ("source_correction", "recording_error", "legal", "other")
RATINGS = ("true", "mostly_true", "mixed", "mostly_false", "false", "unproven", "misleading")
# What a fact-checker may find a source to be (SourceAssessed): each an individual of acc:SourceFlag
FLAGS = ("automated_rewrite", "ai_summarised", "opinion", "satire", "internal_errors", "unreliable_dating")
# What a capture may be (SourceCaptured), by the kind events/captures.py reads it as
MEDIA_TYPES = {"html": "text/html", "text": "text/plain", "pdf": "application/pdf", "warc": "application/warc"}
CAPTURE_TYPES = tuple(MEDIA_TYPES.values())


@dataclass(frozen=True, slots=True)
class Field:
    """One body field: its kind, whether it is required, its choices or referenced types."""

    name: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    refers_to: tuple[str, ...] = ()
    default: Any = None


_SOURCE = ("SourceRegistered",)
_CLAIM = ("ClaimRecorded",)
_KEY = ("KeyRegistered",)

SCHEMAS: Mapping[str, tuple[Field, ...]] = {
    "SourceRegistered": (
        Field("title", "text", required=True),
        Field("kind", "choice", required=True, choices=SOURCE_KINDS),
        Field("url", "url"),
        Field("publisher", "text"),
        Field("published", "date"),
        Field("retrieved", "date"),
        Field("language", "text"),
        Field("author", "text"),
        # the sources it reports on, or the agency or outlet it carries ("actor/afp": wire copy)
        Field("derived_from", "upstreams", refers_to=_SOURCE),
        Field("content_hash", "text"),
        Field("archive_url", "url"),
        Field("note", "text"),
    ),
    "ClaimRecorded": (
        Field("source", "ref", required=True, refers_to=_SOURCE),
        Field("quote", "text", required=True),
        Field("attributed_to", "text", required=True),
        Field("statement", "statement", required=True),
        Field("certainty", "choice", required=True, choices=CERTAINTY),
        Field("polarity", "choice", choices=POLARITY, default="affirmed"),
        Field("valid_time", "date"),
        Field("selector", "object"),
        Field("note", "text"),
        Field("persons", "persons"),  # private persons the quote names, sealed (events/personal.py)
    ),
    "ClaimRetracted": (
        Field("claim", "ref", required=True, refers_to=_CLAIM),
        Field("reason", "choice", required=True, choices=REASONS),
        Field("source", "ref", refers_to=_SOURCE),
        Field("note", "text"),
    ),
    "ClaimCorrected": (
        Field("claim", "ref", required=True, refers_to=_CLAIM),
        Field("replacement", "ref", required=True, refers_to=_CLAIM),
        Field("reason", "choice", required=True, choices=REASONS),
        Field("note", "text"),
    ),
    "SourceCorrected": (
        Field("source", "ref", required=True, refers_to=_SOURCE),
        Field("correction", "text", required=True),
        Field("retracted", "bool", default=False),
        Field("published", "date"),
        Field("url", "url"),
    ),
    "EntitiesMerged": (
        Field("entities", "entities", required=True),
        Field("judged_by", "text", required=True),
        Field("reason", "text", required=True),
    ),
    "MergeUndone": (
        Field("merge", "ref", required=True, refers_to=("EntitiesMerged",)),
        Field("judged_by", "text", required=True),
        Field("reason", "text", required=True),
    ),
    "ClaimReviewed": (
        Field("claim", "ref", required=True, refers_to=_CLAIM),
        Field("rating", "choice", required=True, choices=RATINGS),
        Field("reviewer", "text", required=True),
        Field("sources", "refs", refers_to=_SOURCE),
        Field("note", "text"),
    ),
    "SourceAssessed": (  # a fact-checker's judgement of a source; a later one replaces it
        Field("source", "ref", required=True, refers_to=_SOURCE),
        Field("flags", "choices", required=True, choices=FLAGS),  # [] clears them
        Field("assessor", "text", required=True),
        Field("note", "text"),
    ),
    # A person's judgement that a source carries another's text (a suggestion of accords sources
    # suggest, accepted), from its seq on; undone like a merge
    "DerivationJudged": (
        Field("source", "ref", required=True, refers_to=_SOURCE),
        Field("derived_from", "upstreams", required=True, refers_to=_SOURCE),
        Field("judged_by", "text", required=True),
        Field("reason", "text", required=True),
    ),
    "DerivationUndone": (
        Field("judgement", "ref", required=True, refers_to=("DerivationJudged",)),
        Field("judged_by", "text", required=True),
        Field("reason", "text", required=True),
    ),
    "SourceCaptured": (  # the page as a user saved it: its bytes are kept by this hash (events/captures.py)
        Field("source", "ref", required=True, refers_to=_SOURCE),
        Field("sha256", "sha256", required=True),
        Field("media_type", "choice", required=True, choices=CAPTURE_TYPES),
        Field("captured", "date", required=True),  # the day the page was saved
        Field("note", "text"),
    ),
    # Keys and signatures (events/signatures.py)
    "KeyRegistered": (
        Field("name", "text", required=True),  # the recorder who signs with it
        Field("public_key", "public_key", required=True),
        Field("note", "text"),
    ),
    "KeyRevoked": (
        Field("key", "ref", required=True, refers_to=_KEY),
        Field("reason", "text", required=True),
    ),
    "SignaturesRequired": (Field("reason", "text", required=True),),
    # A person forgotten: their key destroyed, their data [erased] wherever it was (events/personal.py);
    # who erased them is who recorded the event
    "PersonErased": (
        Field("person", "person", required=True),
        Field("reason", "text", required=True),
    ),
    "EventsSigned": (
        Field("key", "ref", required=True, refers_to=_KEY),
        Field("first", "seq", required=True),
        Field("last", "seq", required=True),
        Field("signature", "signature", required=True),
    ),
}


STATEMENT_FIELDS = {
    type_: field.name for type_, fields in SCHEMAS.items() for field in fields if field.kind == "statement"
}
"""Event types whose body holds a statement, and the field that holds it."""


MAX_DEPTH = 16
"""How deep a body's objects and lists may nest (a statement nests three or four levels)."""


def too_deep(name: str, limit: int) -> InputError:
    return InputError(f"{name}: nests more than {limit} levels deep", "name a thing by its @id, not by nesting")


def check_depth(value: Any, name: str, limit: int = MAX_DEPTH) -> None:
    """InputError naming name if value nests more than limit levels."""
    if not _within(value, limit - 1):
        raise too_deep(name, limit)


def _within(value: Any, levels: int) -> bool:
    """Whether value's objects and lists hold values at most levels deeper (a recursion as
    deep as the limit, no deeper: only objects and lists are visited)."""
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    if not children:
        return True
    if levels == 0:
        return False
    return all(_within(v, levels - 1) for v in children if isinstance(v, (dict, list)))


def _text(value: Any, name: str) -> str:
    """Text with something to read: not empty, not only spaces or invisible characters."""
    # quick: ASCII holding more than spaces has something to read (a control character in it
    # canonical() refuses), and so has printable text (no format character) that does
    if isinstance(value, str) and (value.isascii() or value.isprintable()) and value.strip():
        return value
    if not isinstance(value, str) or not any(not c.isspace() and unicodedata.category(c) != "Cf" for c in value):
        raise InputError(f"body.{name}: expected text with something to read, got {value!r}")
    return value


def _url(value: Any, name: str) -> str:
    """An absolute http(s) URL or IRI, as RFC 3986 and 3987 write one: a host, and no space,
    quote, angle bracket, brace, bar, backslash, caret, backquote or control character (a
    space is written %20), nor a % that begins no escape."""
    text = _text(value, name)
    return text if _PLAIN_URL.fullmatch(text) else _parsed_url(text, name)  # most are plain


def _parsed_url(text: str, name: str) -> str:
    """_url's rule, by parsing text (tests/events/test_urls.py: it accepts every plain URL)."""
    import rfc3986
    from rfc3986 import exceptions

    bad = _URL_REFUSED.search(text)
    if bad is not None:
        raise InputError(
            f"body.{name}: {text!r} holds {bad[0]!r}, which a URL writes escaped", "a space is %20, a quote %22"
        )
    try:
        _url_validator().validate(rfc3986.iri_reference(text).encode())
    except (exceptions.RFC3986Exception, ValueError, UnicodeError):
        raise InputError(f"body.{name}: {text!r} is not an http(s) URL with a host") from None
    return text


@cache
def _url_validator() -> Any:
    from rfc3986 import validators

    return (
        validators.Validator()
        .require_presence_of("scheme", "host")
        .allow_schemes("http", "https")
        .check_validity_of("scheme", "host", "port", "path", "query", "fragment")
    )


_SHA256 = re.compile(r"[0-9a-f]{64}")
_URL_REFUSED = re.compile(r'[\s"<>{}|\\^`\x00-\x1f\x7f]|%(?![0-9A-Fa-f]{2})')
# An http(s) URL in ASCII with a host of DNS labels and no port or user: one the parser
# above accepts, recognised without it (it takes a third of a millisecond a URL).
_PATH = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*"
_QUERY = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*"  # a query or fragment may hold "?" too
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_PLAIN_URL = re.compile(rf"https?://{_LABEL}(?:\.{_LABEL})*(?:/{_PATH})?(?:\?{_QUERY})?(?:#{_QUERY})?")


def _ref(value: Any, field: Field, resolve: Resolve) -> str:
    try:
        return resolve(_text(value, field.name), field.refers_to)
    except InputError as e:
        raise InputError(f"body.{field.name}: {e.message}", e.hint) from None


def _is_actor(kind: str, item: Any) -> bool:
    return kind == "upstreams" and isinstance(item, str) and item.startswith("actor/")


def _upstream(item: str, name: str) -> str:
    """An agency or outlet a source carries, by the rule that mints the actor's IRI."""
    from accords.ontology.expansion import reference_iri

    try:
        reference_iri(item)
    except InputError as e:
        raise InputError(f"body.{name}: {e.message}", e.hint) from None
    return item


def _check(field: Field, value: Any, resolve: Resolve, statement: Normalize) -> Any:
    name, kind = field.name, field.kind
    if kind == "text":
        return _text(value, name)
    if kind == "url":
        return _url(value, name)
    if kind == "choice":
        if value not in field.choices:
            raise InputError(f"body.{name}: {value!r} is not one of: {', '.join(field.choices)}")
        return value
    if kind == "choices":
        if not isinstance(value, list) or any(v not in field.choices for v in value) or len(set(value)) < len(value):
            raise InputError(
                f"body.{name}: expected a list of distinct values among: {', '.join(field.choices)}", "[] for none"
            )
        return sorted(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise InputError(f"body.{name}: expected true or false, got {value!r}")
        return value
    if kind == "seq":
        if type(value) is not int or value < 1:
            raise InputError(f"body.{name}: expected a seq (a whole number from 1), got {value!r}")
        return value
    if kind == "sha256":
        if not isinstance(value, str) or not _SHA256.fullmatch(value):
            raise InputError(f"body.{name}: expected a SHA-256 in hex (64 characters 0-9, a-f), got {value!r}")
        return value
    if kind in ("public_key", "signature"):
        size = 32 if kind == "public_key" else 64
        try:
            raw = base64.b64decode(_text(value, name), validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != size:
            raise InputError(f"body.{name}: expected an Ed25519 {kind.replace('_', ' ')} ({size} bytes in base64)")
        return value
    if kind == "date":
        try:
            return dates.normalize(_text(value, name))
        except InputError as e:
            raise InputError(f"body.{name}: {e.message}", e.hint) from None
    if kind == "ref":
        return _ref(value, field, resolve)
    if kind in ("refs", "upstreams"):
        items = value if isinstance(value, list) else [value]
        return [_upstream(item, name) if _is_actor(kind, item) else _ref(item, field, resolve) for item in items]
    if kind == "entities":
        if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, str) for v in value):
            raise InputError(f"body.{name}: expected two or more entity ids such as 'agreement/us-rw'")
        from accords.ontology.expansion import reference_iri

        for item in value:
            try:
                reference_iri(item)  # the rule the projection mints the entity's IRI by
            except InputError as e:
                raise InputError(f"body.{name}: {e.message}", e.hint) from None
        if len({item.split("/", 1)[0] for item in value}) > 1:
            raise InputError(
                f"body.{name}: {', '.join(value)} are not things of one kind", "merge an actor with an actor"
            )
        return value
    if kind == "persons":
        return value  # sealed with the quote, once every field is checked (normalize_body)
    if kind == "person":
        return personal.check_person(value, f"body.{name}")
    if kind == "object":
        if not isinstance(value, dict):
            raise InputError(f"body.{name}: expected a JSON object")
        check_depth(value, f"body.{name}")
        return value
    if kind == "statement":
        try:
            return statement(value)
        except InputError as e:
            raise InputError(f"body.statement: {e.message}", e.hint) from None
    raise AssertionError(kind)


def references(type_: str, body: Any) -> list[str]:
    """The references a draft's body makes as written (keys, ids or id prefixes), unchecked."""
    fields = SCHEMAS.get(type_)
    if fields is None or not isinstance(body, dict):
        return []
    found = []
    for field in fields:
        if field.refers_to:
            value = body.get(field.name)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str):
                    found.append(item)
    return found


def normalize_body(
    type_: str,
    body: Any,
    resolve: Resolve,
    statement: Normalize = normalize_statement,
    keyring: personal.Keyring | None = None,
) -> dict[str, Any]:
    """The checked, normalised body of an event of type_, or InputError naming the field.

    statement normalises a claim's statement (given: its outcome, checked elsewhere);
    keyring seals the persons a claim names (without one, a claim may name none).
    """
    fields = SCHEMAS.get(type_)
    if fields is None:
        raise InputError(
            f"type: unknown event type {type_!r}",
            f"one of: {', '.join(SCHEMAS)}",
        )
    if not isinstance(body, dict):
        raise InputError(f"body: expected a JSON object, got {type(body).__name__}")
    known = {f.name for f in fields}
    unknown = sorted(set(body) - known)
    if unknown:
        raise InputError(
            f"body.{unknown[0]}: unknown field for {type_}",
            f"fields: {', '.join(f.name for f in fields)}",
        )
    out: dict[str, Any] = {}
    for field in fields:
        value = body.get(field.name)
        if value is None:
            if field.required:
                raise InputError(f"body.{field.name}: required for {type_}")
            if field.default is not None:
                out[field.name] = field.default
            continue
        out[field.name] = _check(field, value, resolve, statement)
    if "persons" in out:
        if keyring is None:
            raise InputError("body.persons: persons are sealed by a log's append, not here")
        out = personal.seal(out, keyring)
    if type_ == "DerivationJudged" and out["source"] in out["derived_from"]:
        raise InputError("body.derived_from: a source cannot derive from itself")
    if type_ == "ClaimCorrected" and out["replacement"] == out["claim"]:
        raise InputError(
            "body.replacement: a claim cannot replace itself",
            "record the corrected claim first, then name it as the replacement",
        )
    return out
