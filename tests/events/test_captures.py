"""A quote in a captured page (events/captures.py): typography and whitespace made plain,
elisions, case kept, and any stretch of a page found in it."""

from __future__ import annotations

from hypothesis import given, strategies as st

from accords.events.captures import found, kind_of, normalised, text_of

PAGE = (
    "<html><head><style>p { color: red }</style></head><body><p>\u201cWe will not accept\n"
    "third\u2011country nationals,\u201d the minister\u2019s office said \u2014 a\u00a0reversal.</p>"
    "<p>The \ufb01nal text was not published.</p></body></html>"
)


def test_typography_and_whitespace_are_made_plain() -> None:
    text = text_of(PAGE.encode(), "html", "page")
    assert found("We will not accept third-country nationals, the minister's office said - a reversal.", text)
    assert found('"We will not accept third-country nationals," the minister’s office said', text)
    assert found("The final text was not published.", text)  # the ligature fi
    assert not found("color: red", text)  # a style is no text a reader sees


def test_an_elision_stands_for_the_words_it_leaves_out_in_order() -> None:
    text = text_of(PAGE.encode(), "html", "page")
    assert found("We will not accept ... the minister's office said", text)
    assert found("We will not accept [...] a reversal.", text)
    assert found("We will not accept\u2026 a reversal.", text)
    assert not found("a reversal ... We will not accept", text)


def test_a_head_left_unclosed_hides_no_text() -> None:
    page = b"<html><head><title>Deportees<noscript>enable scripts<body><p>Seven landed on Thursday.</p>"
    text = text_of(page, "html", "page")
    assert found("Seven landed on Thursday.", text) and not found("enable scripts", text)


def test_one_letter_or_its_case_changed_is_not_found() -> None:
    text = text_of(PAGE.encode(), "html", "page")
    assert not found("We will not accept third-country nationalz", text)
    assert not found("we will not accept third-country nationals", text)


def test_a_file_is_known_by_its_name_else_by_its_bytes() -> None:
    assert kind_of("page.HTM", b"") == "html"
    assert kind_of("capture.warc.gz", b"") == "warc"
    assert kind_of("download", b"%PDF-1.7\n") == "pdf"
    assert kind_of("download", b"\n  <!DOCTYPE html><html>") == "html"
    assert kind_of("notes", b"Just words.") == "text"


WORDS = st.text(alphabet="abcXYZ  \n\t.,'\"\u2018\u2019\u201c\u201d\u2013\u2014\u00a0\u2026\ufb01-", max_size=60)


@given(WORDS, st.data())
def test_any_stretch_of_a_page_is_found_in_it(page: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(page)))
    end = data.draw(st.integers(start, len(page)))
    assert found(page[start:end], page), (page[start:end], normalised(page))
