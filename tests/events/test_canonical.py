"""Canonical JSON and hashes agree byte for byte with the RFC 8785 reference library."""

from __future__ import annotations

from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from accords.events.canonical import canonical, json_string, sha256_hex
from accords.events.errors import InputError
from accords.events.model import event_hash, event_id

# Text a record may hold: no control character but tab, line feed and carriage return, no
# surrogate, no noncharacter (canonical() refuses them, as the next test shows).
REFUSED = "".join(
    chr(c)
    for c in [*range(0x20), *range(0x7F, 0xA0), *range(0xD800, 0xE000), *range(0xFDD0, 0xFDF0), 0xFFFE, 0xFFFF]
    if chr(c) not in "\t\n\r"
) + "".join(chr(p + 0xFFFE) + chr(p + 0xFFFF) for p in range(0x10000, 0x110000, 0x10000))
texts = st.text(st.characters(blacklist_characters=REFUSED))

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(texts, children, max_size=5),
    max_leaves=20,
)


@given(json_values)
@settings(max_examples=500)
def test_canonical_equals_rfc8785(value: Any) -> None:
    assert canonical(value) == rfc8785.dumps(value)


@given(json_values, st.sampled_from(REFUSED), st.booleans())
@settings(max_examples=300)
def test_text_a_record_may_not_hold_is_refused_and_named(value: Any, char: str, as_key: bool) -> None:
    body = {"note": [value, {f"k{char}" if as_key else "k": f"a{char}b"}]}
    with pytest.raises(InputError, match=f"^body.note\\[1\\]\\.k.*: holds U\\+{ord(char):04X}"):
        canonical(body)


def test_every_refused_character_is_found_in_what_orjson_writes() -> None:
    """The fast path (a body orjson writes exactly) finds each refused character in its
    output, as a string's character or a key's; a backslash before b, f or u00 is no such
    character (its harmless twin)."""
    for char in REFUSED:
        for body in ({"quote": f"a{char}b"}, {f"k{char}": 1}):
            with pytest.raises(InputError, match=f"holds U\\+{ord(char):04X}"):
                canonical(body)
    for harmless in ("a\\b", "\\f", "\\u0001", "C:\\u00ff", "\t\n\r", "\u00e9\u2028\U0001f600"):
        assert canonical({"quote": harmless}) == rfc8785.dumps({"quote": harmless})


# Control characters, quotes, backslash, DEL, C1, line separators, beyond the BMP.
tricky_text = st.text(st.sampled_from('\x00\x08\t\n\x0b\x0c\r\x1f "\\/a\x7f\x85\xe9\u2028\u2029\ufeff\U0001f600'))


@given(tricky_text | st.text())
@settings(max_examples=500)
def test_json_string_equals_rfc8785(text: str) -> None:
    assert json_string(text).encode() == rfc8785.dumps(text)


def test_non_bmp_keys_sort_by_utf16() -> None:
    value = {"\U0001f600": 1, "\ufb01": 2}
    assert canonical(value) == rfc8785.dumps(value)
    # UTF-16 order: the surrogate pair D83D DE00 sorts before FB01.
    assert canonical(value).index("\U0001f600".encode()) < canonical(value).index("\ufb01".encode())


@given(
    st.integers(min_value=1, max_value=2**40),
    tricky_text | st.text(),
    st.one_of(st.none(), st.text(min_size=1)),
    tricky_text | st.text(),
    tricky_text | st.text(),
    st.dictionaries(st.text(), st.text() | st.integers(-1000, 1000)),
)
def test_event_hash_is_hash_of_canonical_envelope(
    seq: int, type_: str, key: str | None, at: str, by: str, body: dict[str, Any]
) -> None:
    try:
        body_bytes = rfc8785.dumps(body)
        envelope = {
            "seq": seq,
            "id": "ab" * 32,
            "type": type_,
            "recorded_at": at,
            "recorded_by": by,
            "body": body,
            "prev": "cd" * 32,
        }
        if key is not None:
            envelope["key"] = key
        expected = sha256_hex(rfc8785.dumps(envelope))
    except Exception:
        return
    assert event_hash(seq, "ab" * 32, type_, key, at, by, body_bytes, "cd" * 32) == expected
    assert event_id(type_, body_bytes) == sha256_hex(rfc8785.dumps({"type": type_, "body": body}))
