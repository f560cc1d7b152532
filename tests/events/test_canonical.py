"""Canonical JSON and hashes agree byte for byte with the RFC 8785 reference library."""

from __future__ import annotations

from typing import Any

import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from accords.events.canonical import canonical, json_string, sha256_hex
from accords.events.model import event_hash, event_id

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5),
    max_leaves=20,
)


@given(json_values)
@settings(max_examples=500)
def test_canonical_equals_rfc8785(value: Any) -> None:
    try:
        expected = rfc8785.dumps(value)
    except Exception:
        return  # lone surrogates: not JSON text; canonical() refuses them too
    assert canonical(value) == expected


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
