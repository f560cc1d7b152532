"""A plain http(s) URL is accepted without the parser (the import's fast path): every URL
the plain pattern recognises, the parser accepts too, and what it does not recognise is
left to the parser, which still refuses what is not a URL."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accords.events.errors import InputError
from accords.events.schema import _PLAIN_URL, _parsed_url, _url


@settings(max_examples=2000, deadline=None)
@given(st.from_regex(_PLAIN_URL, fullmatch=True))
def test_the_parser_accepts_every_plain_url(url: str) -> None:
    assert _parsed_url(url, "url") == url


@pytest.mark.parametrize(
    "url, plain",
    [
        ("https://www.reuters.com/world/africa/eswatini-2025-07-16/", True),
        ("https://example.com/a%20b?q=1&r=a?b#part", True),
        ("https://example.com:8443/x", False),  # a port: the parser's to judge
        ("https://bücher.example/ein-buch", False),  # an IRI
        ("https://[::1]/x", False),
    ],
)
def test_what_the_pattern_leaves_to_the_parser_is_still_accepted(url: str, plain: bool) -> None:
    assert bool(_PLAIN_URL.fullmatch(url)) is plain
    assert _url(url, "url") == url


@pytest.mark.parametrize(
    "url",
    ["https://ex ample.com", "http://", "https://a.com/%2", "ftp://a.com/x", "https://a.com/<x>", "https://a.com#x#y"],
)
def test_what_is_not_a_url_is_refused(url: str) -> None:
    with pytest.raises(InputError):
        _url(url, "url")
