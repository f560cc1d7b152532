"""RFC 8785 (JCS) canonical JSON, with a fast path that gives the same bytes, of text fit
to be recorded."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from json.encoder import encode_basestring as _encode_basestring
from typing import Any

import orjson
import rfc8785

from accords.events.errors import InputError

_SAFE_INT = 2**53 - 1

# What no text of the record may hold: what I-JSON (RFC 7493, which RFC 8785 asks of its
# input) refuses, lone surrogates and noncharacters, and every control character but tab,
# line feed and carriage return (an ESC in a title would act on each reader's terminal).
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    chr(p + 0xFFFE) + chr(p + 0xFFFF) for p in range(0x10000, 0x110000, 0x10000)
)
_REFUSED = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")


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
                if type(k) is not str or not (k.isascii() or max(k) <= "\uffff"):
                    return False
            todo.extend(v.values())
        elif kind is list:
            todo.extend(v)
        else:
            return False
    return True


# How a refused character can appear in what orjson writes: a C0 control character other
# than tab, line feed and carriage return escaped (\u00XX, \b, \f), DEL as it is, and in
# text that is not ASCII a C1 control or a noncharacter as UTF-8. A lone surrogate it does
# not write at all. It may be seen where there is none (an escaped backslash before "b"):
# then the text itself is looked at. Substrings first: a pattern over every body cost more
# than all the other checks of an import.
_REFUSED_UTF8 = re.compile(
    rb"\xc2[\x80-\x9f]|\xef\xb7[\x90-\xaf]|\xef\xbf[\xbe\xbf]|[\xf0-\xf4][\x8f\x9f\xaf\xbf]\xbf[\xbe\xbf]"
)


def _may_refuse(w: bytes) -> bool:
    return (
        b"\\u00" in w
        or b"\\b" in w
        or b"\\f" in w
        or b"\x7f" in w
        or (not w.isascii() and _REFUSED_UTF8.search(w) is not None)
    )


def _refused_at(value: Any, path: str) -> tuple[str, str]:
    """Where in value (itself at path) a refused character is, and the character."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        at = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}"
        found = _REFUSED.search(key) if isinstance(key, str) else None
        if found is None and isinstance(item, str):
            found = _REFUSED.search(item)
        if found is not None:
            return at, found[0]
        if isinstance(item, (dict, list)) and (deeper := _refused_at(item, at))[0]:
            return deeper
    return "", ""


def _refused(at: str, char: str) -> InputError:
    return InputError(
        f"{at}: holds U+{ord(char):04X}, a control character, lone surrogate or noncharacter",
        "text may hold tab, line feed and carriage return, and no other control character",
    )


def _check_texts(value: Any) -> None:
    """InputError naming where, if a text of value (a key or a string) holds a refused character."""
    at, char = _refused_at(value, "body") if isinstance(value, (dict, list)) else ("", "")
    if at:
        raise _refused(at, char)


def check_text(text: str, name: str) -> None:
    """InputError naming name unless text is fit to be recorded (as canonical() asks)."""
    if found := _REFUSED.search(text):
        raise _refused(name, found[0])


def canonical(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value, whose text holds no control
    character but tab, line feed and carriage return, no lone surrogate, no noncharacter."""
    if _fast_is_exact(value):
        try:
            written = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError as e:  # a lone surrogate, or nested deeper than orjson writes
            _check_texts(value)
            raise InputError(f"not representable as JSON: {e}") from None
        if _may_refuse(written):
            _check_texts(value)
        return written
    _check_texts(value)
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
