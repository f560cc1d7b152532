"""Uncertain numbers read into bounds by documented rules; unreadable text is an error."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accords.events.errors import InputError
from oracles.jsonld import statement_graph
from accords.ontology.quantities import (
    Amount,
    Quantity,
    QuantityError,
    parse_amount,
    parse_quantity,
    quantity_bounds,
)
from accords.ontology.vocabulary import ACC

# (input, low, high, approximate)
CASES: list[tuple[int | str, int | None, int | None, bool]] = [
    (200, 200, 200, False),
    ("200", 200, 200, False),
    ("1,200", 1200, 1200, False),
    ("about 200", 180, 220, True),
    ("around 200", 180, 220, True),
    ("some 200", 180, 220, True),
    ("some", None, None, False),  # "for some months": no number at all
    ("roughly 200", 180, 220, True),
    ("approximately 200", 180, 220, True),
    ("~200", 180, 220, True),
    ("About 5", 4, 6, True),  # 4.5 and 5.5 rounded outward
    ("nearly 200", 180, 200, True),
    ("at least 9", 9, None, False),
    ("9 or more", 9, None, False),
    ("9+", 9, None, False),
    ("more than 8", 9, None, False),
    ("more than a dozen", 13, None, False),
    ("at most 50", None, 50, False),
    ("up to 50", None, 50, False),
    ("50 or fewer", None, 50, False),
    ("fewer than 50", None, 49, False),
    ("200-300", 200, 300, False),
    ("200 – 300", 200, 300, False),
    ("200 to 300", 200, 300, False),
    ("between 200 and 300", 200, 300, False),
    ("from 200 to 300", 200, 300, False),
    ("about 200-300", 180, 330, True),
    ("twenty-five to thirty", 25, 30, False),
    ("dozens", 24, 99, True),
    ("hundreds", 200, 999, True),
    ("thousands", 2000, 9999, True),
    ("nine", 9, 9, False),
    ("Nine", 9, 9, False),
    ("fifty-eight", 58, 58, False),
    ("at least fifty-eight", 58, None, False),
    ("two hundred", 200, 200, False),
    ("a dozen", 12, 12, False),
    ("1.5 thousand", 1500, 1500, False),
]

ERRORS: list[object] = ["lots", "", "a", "300-200", "2.5", "-5", "about", "two hundred and many", -1, True, 2.0]


@pytest.mark.parametrize(("value", "low", "high", "approximate"), CASES)
def test_reads(value: int | str, low: int | None, high: int | None, approximate: bool) -> None:
    assert parse_quantity(value) == Quantity(str(value), low, high, approximate)


@pytest.mark.parametrize("value", ERRORS)
def test_unreadable_is_an_error_naming_the_text(value: object) -> None:
    with pytest.raises(QuantityError) as caught:
        parse_quantity(value)  # type: ignore[arg-type]
    assert repr(value) in caught.value.message or str(value) in caught.value.message


def test_error_is_a_value_error_and_an_input_error() -> None:
    with pytest.raises(ValueError):
        parse_quantity("lots")
    with pytest.raises(InputError):
        parse_quantity("lots")


@given(st.integers(min_value=0))
def test_plain_numerals_are_exact(n: int) -> None:
    parsed = parse_quantity(str(n))
    assert (parsed.low, parsed.high) == (n, n)
    assert parse_quantity(f"{n:,}").low == n


@given(st.integers(min_value=1, max_value=10**9))
def test_about_contains_the_number(n: int) -> None:
    parsed = parse_quantity(f"about {n}")
    assert parsed.low is not None and parsed.high is not None
    assert parsed.low <= n <= parsed.high and parsed.approximate


@pytest.mark.parametrize(
    ("value", "low", "high"),
    [
        ("100000", "100000", "100000"),
        (100000, "100000", "100000"),
        ("6.5 million", "6500000", "6500000"),
        ("2.5m", "2500000", "2500000"),
        ("100,000", "100000", "100000"),
        ("about 6.5 million", "5850000", "7150000"),
        ("more than 1 million", "1000000", None),
        (Decimal("12.50"), "12.50", "12.50"),
    ],
)
def test_amounts(value: int | str | Decimal, low: str, high: str | None) -> None:
    parsed = parse_amount(value)
    assert parsed.low == Decimal(low)
    assert parsed.high == (Decimal(high) if high else None)
    assert isinstance(parsed, Amount)


def test_amount_with_a_currency_symbol_is_an_error() -> None:
    with pytest.raises(QuantityError):
        parse_amount("$100,000")


def test_bounds_for_a_statement_graph() -> None:
    graph = statement_graph(
        {"@id": "request/x", "@type": "Request", "requester": "state/US", "requested_count": "at least 9"}
    )
    triples = {(p, o.toPython()) for _s, p, o in quantity_bounds(graph)}
    assert triples == {(ACC.requestedCountMin, 9)}
    payment = statement_graph(
        {"@type": "Payment", "payer": "state/US", "payee": "state/RW", "amount": "6.5 million", "currency": "USD"}
    )
    assert {(p, o.toPython()) for _s, p, o in quantity_bounds(payment)} == {
        (ACC.amountMin, Decimal("6500000")),
        (ACC.amountMax, Decimal("6500000")),
    }
