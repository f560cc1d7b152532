"""EDTF bounds and the strict reading of human dates."""

from __future__ import annotations

import datetime as dt

import edtf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accords.events.errors import InputError
from accords.events.dates import Bounds, bounds, normalize

D = dt.date


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2025-08-05", D(2025, 8, 5), D(2025, 8, 5)),
        ("2025-06", D(2025, 6, 1), D(2025, 6, 30)),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("2025", D(2025, 1, 1), D(2025, 12, 31)),
        ("2025-06~", D(2025, 6, 1), D(2025, 6, 30)),
        ("2025-XX", D(2025, 1, 1), D(2025, 12, 31)),
        ("2025-21", D(2025, 3, 1), D(2025, 5, 31)),
        ("2025-03/2025-06", D(2025, 3, 1), D(2025, 6, 30)),
        ("../2025-06-30", None, D(2025, 6, 30)),
        ("2025-06/..", D(2025, 6, 1), None),
    ],
)
def test_bounds(text: str, earliest: D | None, latest: D | None) -> None:
    assert bounds(text) == Bounds(earliest, latest)


@pytest.mark.parametrize(
    "text",
    [
        "2025-13-40",
        "2025-02-30",
        "yesterday",
        "",
        "2025-06/2025-01",
        "../..",
        "2025-00",  # month zero: once read as the whole year
        "2025-06-00",  # day zero: once read as the whole month
        "2025-00/2025-06",
        "\u0662\u0660\u0662\u0665-\u0660\u0666-\u0660\u0661",  # 2025-06-01 in Arabic-Indic digits
        "\uff12\uff10\uff12\uff15",  # 2025 in fullwidth digits
    ],
)
def test_not_edtf(text: str) -> None:
    with pytest.raises(InputError):
        bounds(text)


@given(st.dates(min_value=D(1000, 1, 1), max_value=D(2999, 12, 31)), st.sampled_from(["day", "month", "year"]))
def test_fast_path_agrees_with_edtf_library(day: D, precision: str) -> None:
    text = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision]
    parsed = edtf.parse_edtf(text)
    lo, hi = parsed.lower_strict(), parsed.upper_strict()
    assert bounds(text) == Bounds(D(lo.tm_year, lo.tm_mon, lo.tm_mday), D(hi.tm_year, hi.tm_mon, hi.tm_mday))


@pytest.mark.parametrize(
    ("text", "edtf_text"),
    [
        ("5 August 2025", "2025-08-05"),
        ("August 2025", "2025-08"),
        ("Aug 5, 2025", "2025-08-05"),
        ("2025-06", "2025-06"),
        ("../2025-06-30", "../2025-06-30"),
    ],
)
def test_normalize_human_dates(text: str, edtf_text: str) -> None:
    assert normalize(text) == edtf_text


@pytest.mark.parametrize(
    "text",
    ["01/02/2025", "1.2.2025", "the other day", "2025-13-40", "2025-06-00", "\u0665 August \u0662\u0660\u0662\u0665"],
)
def test_normalize_refuses_ambiguous_or_bad(text: str) -> None:
    with pytest.raises(InputError):
        normalize(text)
