"""Read uncertain numbers as sources write them ("about 200", "at least 9") into bounds.

The rules, so that a reader can predict every bound:

- a plain number, numeral ("1,200", "6.5 million") or number word ("nine",
  "fifty-eight", "two hundred", "a dozen") is exact: low = high = the number;
- "about", "around", "some", "roughly", "approximately", "circa", "~" widen it by 10%
  each way, rounded outward for counts: "about 200" is 180 to 220;
- "nearly", "almost" give 90% of the number up to the number: "nearly 200" is 180 to 200;
- "at least N", "no fewer than N", "N or more", "N+" give low = N, no high;
  "more than N", "over N" give low = N + 1 for counts (N for amounts);
- "at most N", "up to N", "no more than N", "N or fewer" give high = N, no low;
  "fewer than N", "less than N", "under N" give high = N - 1 for counts (N for amounts);
- "N-M", "N to M", "N or M", "between N and M", "from N to M" give N to M;
- vague words have fixed ranges (see VAGUE): "dozens" is 24 to 99, "hundreds" 200 to 999;
- "undisclosed", "unknown", "not disclosed" are a number the source says it does not know,
  "all", "most", "a majority", "a vast majority" a share of a total the source may not
  give, and "some" ("for some months") no number at all: no bounds, and nothing to compare;
- anything else is an error naming the text: nothing is guessed.

Every reading except a plain number is marked approximate when the source hedged
("about", "nearly", vague words); bounds the source did not give are None.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import XSD

from accords.events.errors import InputError
from accords.ontology.vocabulary import bound_datatype, bounded_properties


class QuantityError(InputError, ValueError):
    """Text that cannot be read as a number or a range of numbers."""


@dataclass(frozen=True)
class Quantity:
    """A count as the source gave it, with the lowest and highest value it can mean."""

    text: str
    low: int | None
    high: int | None
    approximate: bool = False


@dataclass(frozen=True)
class Amount:
    """A sum of money as the source gave it, with its lowest and highest value."""

    text: str
    low: Decimal | None
    high: Decimal | None
    approximate: bool = False


# Fixed readings of vague words: at least two of the unit, fewer than ten times it.
VAGUE: dict[str, tuple[int, int]] = {
    "a handful": (2, 5),
    "a few": (2, 5),
    "several": (3, 9),
    "dozens": (24, 99),
    "several dozen": (24, 99),
    "hundreds": (200, 999),
    "several hundred": (200, 999),
    "thousands": (2000, 9999),
    "several thousand": (2000, 9999),
    "tens of thousands": (20000, 99999),
    "hundreds of thousands": (200000, 999999),
}

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORDS: dict[str, int] = {word: value for value, word in enumerate(_UNITS)}
_WORDS.update({word: 10 * value for value, word in enumerate(_TENS) if word})
_WORDS.update({"a dozen": 12, "dozen": 12})
_SCALES = {
    "hundred": 100,
    "thousand": 1000,
    "k": 1000,
    "million": 10**6,
    "m": 10**6,
    "mn": 10**6,
    "billion": 10**9,
    "bn": 10**9,
}

_NUMERAL = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*([a-z]+)?$")
_COMPOUND = re.compile(r"^([a-z]+)[ -]([a-z]+)$")
_TEN_PERCENT = Decimal("0.1")

# (pattern, kind): the number is group "n"; ranges are found by _range.
_FORMS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^(?:(?:about|around|some|roughly|approximately|approx\.?|circa|ca\.|c\.)\s+|~\s*)(?P<n>.+)$"),
        "about",
    ),
    (re.compile(r"^(?:nearly|almost|just under)\s+(?P<n>.+)$"), "nearly"),
    (re.compile(r"^(?:at least|no fewer than|no less than|a minimum of|minimum of)\s+(?P<n>.+)$"), "min"),
    (re.compile(r"^(?P<n>.+?)\s*(?:or more|\+)$"), "min"),
    (re.compile(r"^(?:more than|over|upwards of|in excess of|exceeding)\s+(?P<n>.+)$"), "above"),
    (re.compile(r"^(?:at most|up to|no more than|a maximum of|maximum of)\s+(?P<n>.+)$"), "max"),
    (re.compile(r"^(?P<n>.+?)\s+(?:or fewer|or less)$"), "max"),
    (re.compile(r"^(?:fewer than|less than|under|below)\s+(?P<n>.+)$"), "below"),
]
_BETWEEN = re.compile(r"^(?:between|from)\s+(?P<rest>.+)$")
_RANGE_SEPARATOR = re.compile(r"\s*(?:-|\u2013|\u2014)\s*|\s+(?:to|or)\s+")
_AND = re.compile(r"\s+(?:and|to)\s+")


@dataclass(frozen=True)
class _Reading:
    low: Decimal | None
    high: Decimal | None
    low_open: bool = False  # "more than N": N itself is excluded
    high_open: bool = False
    approximate: bool = False


def _words(text: str) -> Decimal | None:
    if text in _WORDS:
        return Decimal(_WORDS[text])
    compound = _COMPOUND.match(text)
    if compound:
        tens, unit = compound.groups()
        if tens in _TENS and 0 < _WORDS.get(unit, 10) < 10:
            return Decimal(_WORDS[tens] + _WORDS[unit])
    return None


def _number(text: str) -> Decimal | None:
    """One number, exact, or None when the text is not one."""
    numeral = _NUMERAL.match(text)
    if numeral:
        digits, fraction, scale = numeral.groups()
        if scale is not None and scale not in _SCALES:
            return None
        value = Decimal(digits.replace(",", "") + (fraction or ""))
        return value * _SCALES[scale] if scale else value
    head, _, last = text.rpartition(" ")
    if head and last in _SCALES:
        base = Decimal(1) if head in ("a", "an", "one") else _words(head)
        return base * _SCALES[last] if base is not None else None
    return _words(text)


def _range(text: str) -> tuple[Decimal, Decimal] | None:
    """Two numbers joined by a dash, "to" or "or" ("200-300", "one or two"), or after "between"/"from"."""
    between = _BETWEEN.match(text)
    text, separator = (between["rest"], _AND) if between else (text, _RANGE_SEPARATOR)
    # Try every split: "twenty-five to thirty" must not split at its first hyphen.
    for match in separator.finditer(text):
        low, high = _number(text[: match.start()]), _number(text[match.end() :])
        if low is not None and high is not None:
            if low > high:
                raise QuantityError(f"{text!r}: the range runs backwards ({low} is more than {high})")
            return low, high
    return None


def _normalize(text: str) -> str:
    return " ".join(text.casefold().replace("\u00a0", " ").split()).rstrip(".")


NO_BOUNDS = frozenset(
    {
        "undisclosed",
        "unknown",
        "some",
        "not disclosed",
        "all",
        "most",
        "a majority",
        "the majority",
        "a vast majority",
        "the vast majority",
        "a large majority",
        "the large majority",
    }
)


def _read(text: str) -> _Reading:
    plain = _normalize(text)
    if plain in NO_BOUNDS:
        return _Reading(None, None)
    if plain in VAGUE:
        low, high = VAGUE[plain]
        return _Reading(Decimal(low), Decimal(high), approximate=True)
    exact = _number(plain)
    if exact is not None:
        return _Reading(exact, exact)
    both = _range(plain)
    if both is not None:
        return _Reading(*both)
    for pattern, kind in _FORMS:
        match = pattern.match(plain)
        if not match:
            continue
        n = _number(match["n"])
        if n is not None:
            return _bounded(kind, n)
        inner = _range(match["n"]) if kind == "about" else None
        if inner is not None:  # "about 200-300"
            return _Reading(inner[0] * (1 - _TEN_PERCENT), inner[1] * (1 + _TEN_PERCENT), approximate=True)
    raise QuantityError(
        f"cannot read {text!r} as a number",
        'write a number, or words such as "about 200", "at least 9", "up to 50", "200-300", "dozens"',
    )


def _bounded(kind: str, n: Decimal) -> _Reading:
    if kind == "about":
        return _Reading(n * (1 - _TEN_PERCENT), n * (1 + _TEN_PERCENT), approximate=True)
    if kind == "nearly":
        return _Reading(n * (1 - _TEN_PERCENT), n, approximate=True)
    if kind == "min":
        return _Reading(n, None)
    if kind == "above":
        return _Reading(n, None, low_open=True)
    if kind == "max":
        return _Reading(None, n)
    return _Reading(None, n, high_open=True)  # "below"


def _whole(value: Decimal, text: str) -> int:
    if value != value.to_integral_value():
        raise QuantityError(f"{text!r}: {value} is not a whole number", "counts of people or states are whole numbers")
    return int(value)


def parse_quantity(value: int | str) -> Quantity:
    """Read a count given as a whole number or as text; QuantityError if it cannot be read."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise QuantityError(f"{value!r} is not a number or text", 'give a whole number or words like "about 200"')
    if isinstance(value, int):
        if value < 0:
            raise QuantityError(f"{value} is negative", "counts cannot be negative")
        return Quantity(str(value), value, value)
    reading = _read(value)
    low = high = None
    if reading.low is not None:
        if reading.approximate:
            low = math.floor(reading.low)  # rounded outward: "about 5" is 4 to 6
        else:
            low = _whole(reading.low, value) + (1 if reading.low_open else 0)
    if reading.high is not None:
        if reading.approximate:
            high = math.ceil(reading.high)
        else:
            high = _whole(reading.high, value) - (1 if reading.high_open else 0)
    return Quantity(value, low, high, reading.approximate)


def parse_amount(value: int | Decimal | str) -> Amount:
    """Read a sum of money ("100000", "6.5 million"); open bounds ("more than") count as closed."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise QuantityError(f"{value!r} is not an amount", 'give a number or text such as "6.5 million"')
    if isinstance(value, int | Decimal):
        try:
            exact = Decimal(value)
        except InvalidOperation as error:
            raise QuantityError(f"{value!r} is not an amount") from error
        return Amount(str(value), exact, exact)
    reading = _read(value)
    return Amount(value, _plain(reading.low), _plain(reading.high), reading.approximate)


def _plain(value: Decimal | None) -> Decimal | None:
    # 6.5 * 10**6 is Decimal("6.5E+6"); written out it is what a person expects.
    return None if value is None else Decimal(format(value.normalize(), "f"))


def quantity_properties() -> dict[URIRef, tuple[URIRef, URIRef, URIRef]]:
    """Each worded-number property, with its (lower, upper) bound properties and their datatype."""
    found = {}
    for prop, (low, high) in bounded_properties().items():
        datatype = bound_datatype(low)
        if datatype in (XSD.integer, XSD.decimal):  # date bounds come from the EDTF reader
            found[prop] = (low, high, datatype)
    return found


def read_literal(node: Node, datatype: URIRef) -> Quantity | Amount | None:
    """Read a worded-number value as a count (xsd:integer bounds) or an amount (xsd:decimal)."""
    if not isinstance(node, Literal):
        return None
    value = node.toPython()
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None  # a wrong datatype is the shapes' finding, not ours
    return parse_amount(value) if datatype == XSD.decimal else parse_quantity(value)


def quantity_bounds(graph: Graph) -> Iterator[tuple[Node, URIRef, Literal]]:
    """The derived bound triples (acc:peopleMin, acc:amountMax...) for a statement graph."""
    for prop, (low_prop, high_prop, datatype) in quantity_properties().items():
        for subject, node in graph.subject_objects(prop):
            parsed = read_literal(node, datatype)
            if parsed is not None and parsed.low is not None:
                yield subject, low_prop, Literal(parsed.low, datatype=datatype)
            if parsed is not None and parsed.high is not None:
                yield subject, high_prop, Literal(parsed.high, datatype=datatype)
