"""What a query answers, as plain Python values: ``Answer.rows()`` gives dicts of str,
int, Decimal, date and bool, IRIs in their short form (``state/RW``,
``claim/0f10f3fa48ba…``) unless ``iris=True``; ``Rows.to_dataframe()`` gives a pandas
DataFrame when pandas is installed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from accords.events.errors import InputError
from accords.events.model import Head


class Rows(list[dict[str, Any]]):
    """Result rows, each a dict of plain values, with the columns in the query's order."""

    def __init__(self, rows: Iterable[dict[str, Any]], columns: list[str]) -> None:
        super().__init__(rows)
        self.columns = columns

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame (pip install 'accords[pandas]')."""
        try:
            import pandas
        except ImportError:
            raise InputError("to_dataframe needs pandas", "pip install 'accords[pandas]'") from None
        return pandas.DataFrame(list(self), columns=self.columns)


def _value(term: Any, name: Callable[[Any], str] | None) -> Any:
    """A result term as a plain Python value: an IRI as it is, or by name."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return name(term) if name else term.value
    if isinstance(term, ox.Literal):
        datatype, text = term.datatype.value.removeprefix("http://www.w3.org/2001/XMLSchema#"), term.value
        try:
            if datatype in ("integer", "int", "long", "nonNegativeInteger"):
                return int(text)
            if datatype == "decimal":
                return Decimal(text)
            if datatype == "boolean":
                return text in ("true", "1")
            if datatype == "date":
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
        return text
    return str(term)


@dataclass(frozen=True)
class Answer:
    """What a SPARQL query answered: ``results`` as the engine gives them, ``rows()`` as values."""

    results: Any  # pyoxigraph QuerySolutions, QueryBoolean or QueryTriples
    head: Head  # the state of the log the answer reflects
    name: Callable[[Any], str]  # an IRI as a person reads it (graph.labels.Labels)

    def rows(self, iris: bool = False) -> Rows:
        """The solutions as rows of plain values (read once: the results are a stream):
        claims and sources by key, states by name, vocabulary terms by local name, other
        IRIs short (agreement/us-rw); with iris, every IRI whole."""
        import pyoxigraph as ox

        name = None if iris else self.name
        if isinstance(self.results, ox.QueryBoolean):
            return Rows([{"answer": bool(self.results)}], ["answer"])
        if isinstance(self.results, ox.QueryTriples):
            columns = ["subject", "predicate", "object"]
            return Rows(({c: _value(getattr(t, c), name) for c in columns} for t in self.results), columns)
        columns = [v.value for v in self.results.variables]
        return Rows(({c: _value(s[c], name) for c in columns} for s in self.results), columns)
