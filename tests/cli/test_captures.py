"""The page as it was (SourceCaptured): a saved page attached to its source, its bytes kept
by their SHA-256 in the store (SQLite and PostgreSQL), trace saying whether each claim's
quote occurs in it, verify checking the bytes, bad files refused with nothing written.
The fixture: a wire story and its claim, "Seven deportees landed in Kigali on Thursday,
officials said." (tests/graph/fixtures/assessments)."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

FIXTURE = Path(__file__).parents[1] / "graph" / "fixtures" / "assessments" / "wire-and-rewrite.jsonl"
OLD_LOG = Path(__file__).parents[1] / "events" / "data" / "main-107c388.sqlite"

# The wire story as its page writes it: curly apostrophes and quotes, a no-break space,
# an entity, a line break inside the sentence, and a script that holds the words too.
PAGE = (
    "<!doctype html><html><head><title>Deportees land</title>"
    "<script>var teaser = 'Seven deportees landed in Kigali';</script></head><body>"
    "<h1>Deportees land in Kigali</h1><p>KIGALI &mdash; \u201cSeven deportees landed in\n"
    "Kigali on Thursday,\u201d officials\u00a0said. The U.S. didn\u2019t comment.</p></body></html>"
)
TEXT = "KIGALI - Seven deportees landed in Kigali on Thursday, officials said.\n"


def pdf(text: str) -> bytes:
    """A one-page PDF showing text in Helvetica (its objects, and the table of their offsets)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def warc(html: str, gzip: bool) -> bytes:
    """A WARC holding the page as a browser fetched it (a response record), as webrecorder writes one."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://wire.example/a", "response", payload=io.BytesIO(html.encode()), http_headers=headers
    )
    writer.write_record(record)
    return out.getvalue()


def wire_captures(run: Any) -> list[dict[str, Any]]:
    out = run("trace", "c-landed-wire", "--format", "json")
    assert out.exit_code == 0, out.stderr
    claim = next(c for c in json.loads(out.stdout)["claims"] if c["key"] == "c-landed-wire")
    return claim["captures"]  # type: ignore[no-any-return]


def test_a_capture_holds_the_quote_and_its_altered_bytes_fail_verify(run: Any, tmp_path: Path) -> None:
    assert run("import", str(FIXTURE)).exit_code == 0
    page = tmp_path / "wire.html"
    page.write_text(PAGE, encoding="utf-8")
    done = run("capture", "src-wire", str(page), "--captured", "2025-08-14", "--format", "json")
    assert done.exit_code == 0, done.stderr
    row = json.loads(done.stdout)[0]
    assert row["new"] and row["seq"] == 11 and len(row["sha256"]) == 64
    assert wire_captures(run) == [
        {"captured": "2025-08-14", "sha256": row["sha256"], "media_type": "text/html", "quote": "found"}
    ]
    assert "quote found in the capture of" in run("trace", "c-landed-wire", "--format", "table").stdout
    # the rewrite's claim rests on its own page, which nobody captured: nothing is said of it
    traced = json.loads(run("trace", "c-landed-rewrite", "--format", "json").stdout)["claims"]
    assert {c["key"]: len(c["captures"]) for c in traced} == {"c-landed-rewrite": 0, "c-landed-wire": 1}
    assert run("verify").exit_code == 0

    # the same page with the quoted sentence edited by one letter (landed -> lended)
    edited = tmp_path / "edited.html"
    edited.write_text(PAGE.replace("landed in\n", "lended in\n"), encoding="utf-8")
    assert run("capture", "src-wire", str(edited), "--captured", "2025-08-20").exit_code == 0
    latest, first = wire_captures(run)
    assert (latest["captured"], latest["quote"]) == ("2025-08-20", "not found")
    assert (first["captured"], first["quote"]) == ("2025-08-14", "found")

    # an attacker (or a disk) changes the kept bytes of the first capture
    _alter(run.store, row["sha256"], PAGE.replace("Seven", "Eight").encode())
    checked = run("verify")
    assert checked.exit_code == 1
    assert "seq 11" in checked.stderr + checked.stdout and "not those captured" in checked.stderr + checked.stdout
    assert wire_captures(run)[1]["quote"] == "unavailable"


def _alter(url: str, sha: str, data: bytes) -> None:
    """Rewrite the bytes kept by sha, past the triggers that refuse it."""
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:
            db.execute("DROP TRIGGER captures_no_update ON captures")
            db.execute("UPDATE captures SET bytes = %s WHERE sha256 = %s", (data, sha))
        return
    with sqlite3.connect(url) as db:
        db.execute("DROP TRIGGER captures_no_update")
        db.execute("UPDATE captures SET bytes = ? WHERE sha256 = ?", (data, sha))


@pytest.mark.parametrize(
    "name, data",
    [
        ("wire.txt", TEXT.encode()),
        ("wire.pdf", pdf("Seven deportees landed in Kigali on Thursday, officials said.")),
        ("wire.warc", warc(PAGE, gzip=False)),
        ("wire.warc.gz", warc(PAGE, gzip=True)),
        ("saved-page", PAGE.encode()),  # no suffix: HTML by its first bytes
    ],
)
def test_each_kind_of_capture_is_read(sqlite_run: Any, tmp_path: Path, name: str, data: bytes) -> None:
    run = sqlite_run
    assert run("import", str(FIXTURE)).exit_code == 0
    (tmp_path / name).write_bytes(data)
    assert run("capture", "src-wire", str(tmp_path / name), "--captured", "2025-08-14").exit_code == 0
    assert [c["quote"] for c in wire_captures(run)] == ["found"]
    assert run("verify").exit_code == 0


def test_an_export_carries_the_hash_and_the_file_attached_again_restores_the_bytes(
    sqlite_run: Any, tmp_path: Path
) -> None:
    run = sqlite_run
    assert run("import", str(FIXTURE)).exit_code == 0
    page = tmp_path / "wire.html"
    page.write_text(PAGE, encoding="utf-8")
    assert run("capture", "src-wire", str(page), "--captured", "2025-08-14").exit_code == 0
    exported = tmp_path / "log.jsonl"
    assert run("export", "-o", str(exported)).exit_code == 0
    other = str(tmp_path / "other.db")
    assert run("init", store=other).exit_code == 0
    assert run("import", str(exported), store=other).exit_code == 0
    checked = run("verify", store=other)
    assert checked.exit_code == 1 and "missing from the store" in checked.stderr + checked.stdout
    again = run("capture", "src-wire", str(page), "--captured", "2025-08-14", store=other)
    assert again.exit_code == 0 and "already recorded" in again.stdout
    assert run("verify", store=other).exit_code == 0


def test_a_store_made_before_captures_gets_them_at_its_next_write(sqlite_run: Any, tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    shutil.copyfile(OLD_LOG, old)
    run = sqlite_run
    sources = [
        e for e in json.loads(run("log", "--format", "json", store=str(old)).stdout) if e["type"] == "SourceRegistered"
    ]
    assert run("verify", store=str(old)).exit_code == 0  # no captures table yet: nothing to check
    page = tmp_path / "page.txt"
    page.write_text("A page.", encoding="utf-8")
    assert run("capture", sources[0]["id"], str(page), store=str(old)).exit_code == 0
    assert run("verify", store=str(old)).exit_code == 0


@pytest.mark.parametrize(
    "name, data, source, what",
    [
        ("folder", None, "src-wire", "not a file"),
        ("broken.warc", b"WARC/1.0\r\nthis is no record\r\n\r\n", "src-wire", "WARC"),
        ("empty.warc", b"", "src-wire", "not a WARC file"),
        ("broken.pdf", b"%PDF-1.4\nno objects here", "src-wire", "PDF"),
        ("wire.html", PAGE.encode(), "src-nowhere", "src-nowhere"),
        ("wire.html", PAGE.encode(), "c-landed-wire", "body.source"),
    ],
    ids=[
        "a folder",
        "a WARC that does not parse",
        "an empty WARC",
        "a PDF that does not parse",
        "an unknown source",
        "a claim, not a source",
    ],
)
def test_a_bad_capture_is_refused_and_nothing_written(
    run: Any, snapshot: Any, tmp_path: Path, name: str, data: bytes | None, source: str, what: str
) -> None:
    assert run("import", str(FIXTURE)).exit_code == 0
    path = tmp_path / name
    if data is None:
        path.mkdir()
    else:
        path.write_bytes(data)
    before = snapshot(run.store)
    result = run("capture", source, str(path))
    assert result.exit_code == 2, result.stdout + result.stderr
    assert what in result.stderr, result.stderr
    assert snapshot(run.store) == before


def test_the_api_captures_as_the_command_does(tmp_path: Path) -> None:
    import accords

    page = tmp_path / "wire.html"
    page.write_text(PAGE, encoding="utf-8")
    with accords.open(tmp_path / "a.db", create=True) as record:
        list(record.import_files([FIXTURE]))
        done = record.capture("src-wire", page, captured="2025-08-14", dry_run=True)
        assert done.added == 1 and record.head.seq == 10  # checked, and nothing written
        record.capture("src-wire", page, captured="2025-08-14")
        claims = record.trace("c-landed-wire").claims
        (captured,) = next(c for c in claims if c.key == "c-landed-wire").captures
        assert (captured.captured, captured.media_type, captured.quote) == ("2025-08-14", "text/html", "found")
        assert record.verify().problem is None
