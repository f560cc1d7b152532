"""The workbench's pages in a real headless Chromium (Debian's chromium, driven by
Playwright), served by the installed command from the corpus of real reporting: search a
state by its common name, open its timeline, click a mark, reach the quote and the source
URL; the timeline's picture holds its marks; hostile strings recorded in titles,
publishers and quotes come out as text, and no script runs."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from served import CORPUS, serve

HOSTILE = '</q><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
ATTRIBUTE = '" onmouseover="window.__pwned = 3" x="'


def _chromium() -> str:
    found = os.environ.get("ACCORDS_TEST_CHROMIUM") or shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is not installed (tests/with-services.sh installs it)")
    pytest.skip("Chromium is not installed: apt-get install chromium")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("site")
    subprocess.run(["accords", "init"], cwd=folder, check=True, capture_output=True)
    files = sorted(str(p) for p in CORPUS.glob("*.jsonl"))
    hostile = [
        {
            "type": "SourceRegistered",
            "key": "src-hostile",
            "body": {
                "title": f"Deal {HOSTILE}",
                "publisher": f"Outlet{ATTRIBUTE}",
                "kind": "news",
                "url": "https://example.org/a%20page?x=1&y=2",
            },
        },
        {
            "type": "ClaimRecorded",
            "key": "c-hostile",
            "body": {
                "source": "src-hostile",
                "quote": f"Kosovo said {HOSTILE} and {ATTRIBUTE}",
                "attributed_to": f"a spokesman{ATTRIBUTE}",
                "certainty": "reported",
                "statement": {"@type": "Stance", "state": "state/XK", "position": "denied", "on": ["agreement/us-xk"]},
            },
        },
    ]
    (folder / "hostile.jsonl").write_text("".join(json.dumps(e) + "\n" for e in hostile))
    subprocess.run(["accords", "import", *files, "hostile.jsonl"], cwd=folder, check=True, capture_output=True)
    server, base, _ = serve(folder)
    yield base, folder
    server.terminate()
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    flags = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ]
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=_chromium(), args=flags)
        yield chromium
        chromium.close()


def _page(browser: object) -> object:
    page = browser.new_page(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: pytest.fail(f"a script ran: {dialog.message}"))
    return page


def test_from_a_states_name_to_the_quote_and_its_source(site: tuple[str, Path], browser: object) -> None:
    base = site[0]
    page = _page(browser)
    page.goto(base + "/")
    page.fill("input[name=q]", "Kosovo")
    page.click("header button")
    page.click("a.state:has-text('Kosovo')")
    assert page.url.startswith(base + "/state/XK")
    marks = page.locator("svg.timeline a.mark")
    assert marks.count() >= 10
    picture = page.locator("svg.timeline").screenshot()
    assert _coloured(picture) >= marks.count() * 20  # each mark is at least a few dozen pixels of its colour
    marks.first.click()
    assert "/claim/" in page.url
    assert page.locator("blockquote.quote").inner_text().strip()
    link = page.locator("a.source-url")
    if link.count():
        assert link.first.get_attribute("href").startswith(("https://", "http://"))
    permalink = page.locator("a.permalink").get_attribute("href")
    assert "as_of=" in permalink  # a link to this page names the head it shows
    page.close()


def test_search_finds_a_state_and_a_body_by_another_name(site: tuple[str, Path], browser: object) -> None:
    base = site[0]
    page = _page(browser)
    page.goto(base + "/?q=Swaziland")  # Eswatini's former name: the rule that resolves a claim's state
    page.click("a.state:has-text('Eswatini')")
    assert page.url.startswith(base + "/state/SZ") and page.locator("svg.timeline a.mark").count() >= 1
    page.goto(base + "/?q=DHS")  # an alias a claim gave the department
    page.click("a.entity:has-text('DHS (actor/us-dhs)')")
    assert page.url.startswith(base + "/entity/actor/us-dhs") and page.locator("table.claims tbody tr").count() >= 1
    page.goto(base + "/?q=Nowhereland")  # the harmless twin: no state by that name
    assert page.locator("a.state").count() == 0
    page.close()


def _coloured(png: bytes) -> int:
    """Pixels of the marks' colours (blue, or red for a disagreement) in a screenshot."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    marks = {(0x2B, 0x6C, 0xB0), (0xD6, 0x28, 0x28)}
    return sum(1 for pixel in image.getdata() if pixel in marks)


def test_disagreements_side_by_side_and_a_things_claims(site: tuple[str, Path], browser: object) -> None:
    import accords

    base, folder = site
    page = _page(browser)
    page.goto(base + "/disagreements")
    record = accords.open(folder / "accords.db")
    want = record.query("contradictions").rows()
    assert page.locator("table.disagreements tbody tr").count() == len(want) >= 30
    page.locator("div.side a").first.click()  # a claim on one side
    assert "/claim/" in page.url and page.locator("blockquote.quote").inner_text().strip()
    page.goto(base + "/?q=us-xk")
    page.click("a.entity:has-text('agreement/us-xk')")
    trace = record.trace("agreement/us-xk")
    assert page.locator("table.claims tbody tr").count() == len(trace.claims)
    assert f"{trace.supporting_active} active supporting claims" in page.locator("p.summary").inner_text()
    page.close()


def test_findings_and_the_log(site: tuple[str, Path], browser: object) -> None:
    import accords

    base, folder = site
    record = accords.open(folder / "accords.db")
    page = _page(browser)
    page.goto(base + "/findings")
    assert page.locator("table.findings tbody tr").count() == len(record.validate()[0]) > 0
    page.click("a.history")  # each finding with the event that introduced it and the one that resolved it
    spans = record.validate_over_time()
    assert page.locator("table.findings tbody tr").count() == len(spans) > 0
    resolved = [s for s in spans if s.resolved is not None]
    assert page.locator("td.resolved a").count() == len(resolved)
    assert page.locator("td.resolved:has-text('still open')").count() == len(spans) - len(resolved)
    first = min(s.introduced[0] for s in spans)
    page.locator(f"td.introduced a[href^='/log?to={first}#']").first.click()
    assert page.locator(f"tr#seq-{first}").count() == 1  # the event, on its page of the log
    page.goto(base + "/log")
    assert page.locator("p.verify").inner_text().startswith(f"The log verifies: {record.head.seq} events")
    assert page.locator("table.log tbody tr").count() == 200
    assert page.locator("table.log tbody tr").first.inner_text().rstrip().endswith("unsigned")
    page.click("text=older events")
    assert page.locator("table.log tbody tr").first.inner_text().startswith(str(record.head.seq - 200))
    page.close()


@pytest.mark.parametrize(
    "path", ["/?q=window.__pwned", "/state/XK", "/claim/c-hostile", "/entity/agreement/us-xk", "/?q=Outlet"]
)
def test_hostile_strings_are_text_and_no_script_runs(site: tuple[str, Path], browser: object, path: str) -> None:
    page = _page(browser)
    page.goto(site[0] + path)
    page.mouse.move(300, 300)
    for element in page.locator("q, td, dd, li").all()[:200]:
        element.hover(timeout=2000, force=True)
    assert page.evaluate("window.__pwned") is None
    planted = "document.querySelectorAll('script, img, [onerror], [onmouseover], iframe, object, embed').length"
    assert page.evaluate(planted) == 0
    if path != "/?q=Outlet":  # the harmless twin: the words are there, as text
        assert "window.__pwned = 1" in page.locator("main").inner_text()
    page.close()
