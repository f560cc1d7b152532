"""RFC 8785 (JCS) canonical JSON, with a fast path that gives the same bytes."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
import rfc8785

from accords.errors import InputError

_SAFE_INT = 2**53 - 1


def _fast_is_exact(value: Any) -> bool:
    """True when orjson with sorted keys writes exactly the JCS bytes for value.

    orjson and JCS agree on string escaping and integers; they differ on floats
    (ECMAScript number formatting) and on key order for keys with characters outside
    the Basic Multilingual Plane (JCS sorts by UTF-16 code units).
    """
    if isinstance(value, str) or value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -_SAFE_INT <= value <= _SAFE_INT
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str) or (not k.isascii() and max(k) > "\uffff"):
                return False
            if not _fast_is_exact(v):
                return False
        return True
    if isinstance(value, list):
        return all(_fast_is_exact(v) for v in value)
    return False


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


def json_string(text: str) -> bytes:
    """A JSON string literal, byte-identical to JCS."""
    return orjson.dumps(text)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
