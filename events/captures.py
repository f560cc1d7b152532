"""Captures: a page as a user saved it (HTML, text, PDF or WARC), its text, and whether a
quote occurs in it.

The bytes are kept next to the log by their SHA-256 (the captures table of each store);
the SourceCaptured event holds the hash, so the chain covers them. Nothing is fetched: a
capture is a file the user gives. Text is read with the libraries made for each format
(the standard library's HTML parser, pypdf, warcio), and quotes are compared with
whitespace and typography made plain (quotation marks, apostrophes, dashes, spaces,
ligatures), case kept: a quote edited by one letter is not found.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from accords.events.errors import InputError
from accords.events.schema import MEDIA_TYPES

if TYPE_CHECKING:
    from accords.events.integrity import Problem
    from accords.events.store import Recorder

KINDS = {media: kind for kind, media in MEDIA_TYPES.items()}
_SUFFIXES = {".html": "html", ".htm": "html", ".txt": "text", ".text": "text", ".pdf": "pdf", ".warc": "warc"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def kind_of(name: str, data: bytes) -> str:
    """html, text, pdf or warc: by the file's name (.warc.gz too), else by its first bytes."""
    lowered = name.lower().removesuffix(".gz")
    for suffix, kind in _SUFFIXES.items():
        if lowered.endswith(suffix):
            return kind
    head = data[:512].lstrip().lower()
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"WARC/") or data.startswith(b"\x1f\x8b"):
        return "warc"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return "text"


def text_of(data: bytes, kind: str, where: str) -> str:
    """The text a reader sees in a capture; InputError naming where when it cannot be read."""
    try:
        if kind == "html":
            return _html_text(_decoded(data))
        if kind == "text":
            return _decoded(data)
        if kind == "pdf":
            return _pdf_text(data)
        if kind == "warc":
            return _warc_text(data, where)
    except InputError:
        raise
    except Exception as e:  # the parsers raise a zoo of types for broken files
        raise InputError(f"{where}: not readable as {kind.upper()}: {e}") from None
    raise InputError(f"{where}: unknown kind of capture {kind!r}", "html, text, pdf or warc")


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # most pages that are not UTF-8


class _Text(HTMLParser):
    """The text of a page: what is between tags, without scripts, styles, templates and the
    title (a page may leave an element unclosed: its body starts the text afresh)."""

    SKIPPED = {"script", "style", "template", "noscript", "title"}
    BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "section", "article"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self.skipping = 0
        elif tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _warc_text(data: bytes, where: str) -> str:
    """The text of every page a WARC holds (its response and resource records)."""
    from warcio.archiveiterator import ArchiveIterator

    texts: list[str] = []
    records = 0
    for record in ArchiveIterator(io.BytesIO(data), arc2warc=True):
        records += 1
        if record.rec_type not in ("response", "resource"):
            continue
        content_type = (
            record.http_headers.get_header("Content-Type")
            if record.http_headers is not None
            else record.rec_headers.get_header("Content-Type")
        ) or ""
        body = record.content_stream().read()
        if "pdf" in content_type:
            texts.append(_pdf_text(body))
        elif "html" in content_type or "xml" in content_type:
            texts.append(_html_text(_decoded(body)))
        elif content_type.startswith("text/"):
            texts.append(_decoded(body))
    if not records:
        raise InputError(f"{where}: not a WARC file: it holds no record")
    if not texts:
        raise InputError(f"{where}: the WARC holds no page (no response or resource record of text, HTML or PDF)")
    return "\n".join(texts)


# Typography a page and a quote may write differently: each to its plain form.
_PLAIN = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4", "'"),
        **dict.fromkeys('"\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb', ""),  # a page quotes speech, a quote does not
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),
    }
)
_SPACE = re.compile(r"\s+")
_ELISION = re.compile(r"\s*(?:\[\.\.\.\]|\.\.\.)\s*")  # after NFKC, "…" is "..."


@lru_cache(maxsize=16)  # a page is looked in for each claim of its source: made plain once
def normalised(text: str) -> str:
    """Text with typography and whitespace made plain: NFKC (ligatures, no-break spaces,
    the ellipsis), one apostrophe and one dash, no double quotation marks (a page puts them
    around the words a quote holds), runs of whitespace as one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_PLAIN)).strip()


def found(quote: str, text: str) -> bool:
    """Whether quote occurs in text, normalised alike; an elision ("..." or "[...]") in the
    quote stands for any words between its parts, which must occur in order."""
    page = normalised(text)
    at = 0
    for part in _ELISION.split(normalised(quote)):
        if not part:
            continue
        at = page.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def problem(recorder: Recorder) -> Problem | None:
    """The first capture whose bytes the store lacks, or keeps altered (verify)."""
    from accords.events.integrity import Problem

    for event in recorder.captured_events():
        body = event.data()
        wanted, source = body["sha256"], body["source"][:12]
        data = recorder.capture(wanted)
        if data is None:
            return Problem(
                event.seq,
                f"the capture of source {source} (sha256 {wanted[:12]}) is missing from the store;"
                f" attach the file again: accords capture {source} FILE --captured {body['captured']}",
            )
        if (kept := sha256(data)) != wanted:
            return Problem(
                event.seq,
                f"the bytes kept for the capture of source {source} are not those captured:"
                f" their SHA-256 is {kept[:12]}, not {wanted[:12]}",
            )
    return None


class Texts:
    """The text of each capture a recorder keeps, read once; None for bytes it lacks."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder
        self.texts: dict[str, str | None] = {}

    def __call__(self, sha: str, media_type: str) -> str | None:
        if sha not in self.texts:
            data = self.recorder.capture(sha)
            self.texts[sha] = (
                None if data is None or sha256(data) != sha else text_of(data, KINDS[media_type], sha[:12])
            )
        return self.texts[sha]
