"""RFC 8785 (JCS) canonical JSON, with a fast path that gives the same bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from json.encoder import encode_basestring as _encode_basestring
from typing import Any

import orjson
import rfc8785

from accords.events.errors import InputError

_SAFE_INT = 2**53 - 1


def _fast_is_exact(value: Any) -> bool:
    """True when orjson with sorted keys writes exactly the JCS bytes for value.

    orjson and JCS agree on string escaping and integers; they differ on floats
    (ECMAScript number formatting) and on key order for keys with characters outside
    the Basic Multilingual Plane (JCS sorts by UTF-16 code units). A loop over exact
    types, not a recursion: it runs on every appended body.
    """
    todo = [value]
    while todo:
        v = todo.pop()
        kind = type(v)
        if kind is str or v is None or kind is bool:
            continue
        if kind is int:
            if not -_SAFE_INT <= v <= _SAFE_INT:
                return False
        elif kind is dict:
            for k in v:
                if type(k) is not str or (not k.isascii() and max(k) > "\uffff"):
                    return False
            todo.extend(v.values())
        elif kind is list:
            todo.extend(v)
        else:
            return False
    return True


def canonical(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value."""
    if _fast_is_exact(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError as e:  # lone surrogates and the like
            raise InputError(f"not representable as JSON: {e}") from None
    try:
        return rfc8785.dumps(value)
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as e:
        raise InputError(
            f"not representable as canonical JSON: {e}",
            "numbers must be finite and integers within ±2^53",
        ) from None


# A JSON string literal whose UTF-8 bytes are JCS's: the json module's C escaper writes
# what JCS writes (\b \t \n \f \r \" \\, other control characters as lowercase \u00xx,
# everything else as is). It returns text, so an envelope is formatted in one f-string and
# encoded once; bound directly, not wrapped, as it runs four times per event in verify.
json_string: Callable[[str], str] = _encode_basestring


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
