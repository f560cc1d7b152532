"""verify: what it reports while it runs, as a library and as a command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accords.events import integrity
from accords.events.backends import open_store


def test_verify_reports_progress_every_10000_events(tmp_path: Path, sqlite_run: Any, write_log: Any) -> None:
    store = open_store(str(tmp_path / "accords.db"), create=True)
    write_log(store.url, 25_000)
    seen: list[int] = []
    result = integrity.verify(store, seen.append)
    assert (result.events, result.problem, seen) == (25_000, None, [10_000, 20_000])
    command = sqlite_run("verify", store=str(tmp_path / "accords.db"))  # progress on stderr, the result on stdout
    assert command.exit_code == 0 and command.stdout.startswith("ok: 25000 events verify")
    assert command.stderr == "10000 events verified\n20000 events verified\n"


def test_verify_splits_a_long_log_over_processes(
    tmp_path: Path, sqlite_run: Any, write_log: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(integrity, "MIN_RANGE", 5_000)
    store = open_store(str(tmp_path / "accords.db"), create=True)
    write_log(store.url, 25_000)
    ranges = integrity._ranges(store, 3)
    assert ranges == [(None, 8_333), (8_333, 16_666), (16_666, None)]
    parts = integrity._parallel(store, ranges, frozenset(), None)
    assert parts is not None and [p.events for p in parts] == [8_333, 8_333, 8_334]
    one = integrity.verify(store, processes=1)
    seen: list[int] = []
    assert integrity.verify(store, seen.append, processes=3) == one and one.problem is None
    assert seen and set(seen) <= {10_000, 20_000}
    command = sqlite_run("verify", "--processes", "3", store=str(tmp_path / "accords.db"))
    assert command.exit_code == 0 and command.stdout.startswith("ok: 25000 events verify")
