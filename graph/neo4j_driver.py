"""Neo4j through the official driver: connecting, errors as AccordsErrors, read-only Cypher.

Values cross the driver as bound parameters only. Results come back as plain Python
(``plain``): temporal values as ISO 8601 text, nodes and relationships as maps of
their properties (with ``_labels`` / ``_type``), so every output format can write them.

Comparing with SPARQL: the named queries' two forms return the same rows when both are
read as text by one rule (tests/neo4j_projection): IRIs in full, except terms of the
accords vocabulary (acc:signed, acc:Agreement…), which the property graph stores by
their local name ("signed", "Agreement"); literals by lexical value; numbers as
decimals without trailing zeros; booleans as true/false; dates as YYYY-MM-DD.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from accords.events.errors import InputError, StoreError

DEFAULT_URI = "bolt://localhost:7687"
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_CONNECT_HINT = (
    "start Neo4j (Desktop, `docker run -p 7687:7687 neo4j:5`), or point accords at it with "
    "--neo4j URI or ACCORDS_NEO4J_URI (Aura: neo4j+s://xxxx.databases.neo4j.io)"
)


@dataclass(frozen=True, slots=True)
class Target:
    """Where the property graph lives: a Bolt URI, credentials and a database name."""

    uri: str | None = None
    user: str | None = None
    password: str | None = None
    database: str | None = None

    @classmethod
    def from_env(cls) -> Target:
        env = os.environ.get
        return cls(
            env("ACCORDS_NEO4J_URI"),
            env("ACCORDS_NEO4J_USER"),
            env("ACCORDS_NEO4J_PASSWORD"),
            env("ACCORDS_NEO4J_DATABASE"),
        )

    @property
    def where(self) -> str:
        return (self.uri or DEFAULT_URI) + (f" (database {self.database})" if self.database else "")


def _check_uri(uri: str) -> None:
    scheme, sep, rest = uri.partition("://")
    if not sep or scheme not in SCHEMES or not rest.strip("/"):
        raise InputError(
            f"--neo4j: {uri!r} is not a Neo4j Bolt URI",
            "write it as bolt://HOST:7687 (one server), neo4j://HOST:7687 (a cluster), "
            "or neo4j+s://… for Aura and other TLS servers",
        )


def translate(e: Exception, target: Target) -> InputError:
    """A driver exception as the AccordsError a user can act on (exit 2)."""
    from neo4j import exceptions as x

    where = target.where
    if isinstance(e, x.AuthError):
        return StoreError(
            f"Neo4j at {where} refused the credentials of user {target.user or 'neo4j'!r}",
            "give the right ones with --user/--password or ACCORDS_NEO4J_USER/ACCORDS_NEO4J_PASSWORD",
        )
    if isinstance(e, x.ServiceUnavailable):
        reason = str(e).splitlines()[-1].strip()
        return StoreError(f"cannot connect to Neo4j at {where}: {reason}", _CONNECT_HINT)
    if isinstance(e, x.ConfigurationError):
        return InputError(f"--neo4j: {e}", "write it as bolt://HOST:7687 or neo4j+s://HOST")
    code = getattr(e, "code", None) or ""
    message = getattr(e, "message", None) or str(e)
    if code.endswith("DatabaseNotFound"):
        return StoreError(
            f"Neo4j at {target.uri or DEFAULT_URI} has no database {target.database!r}",
            "name an existing one with --database (Community has only 'neo4j')",
        )
    if code.endswith("AccessMode"):
        return InputError(
            "Cypher writes are refused: the graph is a projection of the log",
            "change the record with accords record, retract or correct",
        )
    if code.endswith("CredentialsExpired"):
        return StoreError(
            f"the password of {target.user or 'neo4j'!r} on {where} has expired",
            "set a new one in Neo4j Browser or cypher-shell, then retry",
        )
    if isinstance(e, x.CypherSyntaxError):
        return InputError(f"Cypher syntax error: {message}")
    if code.startswith("Neo.ClientError"):
        return InputError(f"Neo4j refused the query: {message}")
    return StoreError(f"Neo4j at {where} failed: {message}", "retry; if it persists, check the Neo4j logs")


class Graph:
    """An open driver on one database; close it when done."""

    def __init__(self, target: Target) -> None:
        from neo4j import GraphDatabase
        from neo4j import exceptions as x

        uri = target.uri or DEFAULT_URI
        _check_uri(uri)
        self.target = target
        auth = (target.user or "neo4j", target.password) if target.password else None
        try:
            self.driver = GraphDatabase.driver(
                uri, auth=auth, connection_timeout=10, max_transaction_retry_time=15, notifications_min_severity="OFF"
            )
            self.driver.verify_connectivity()
        except (x.DriverError, x.Neo4jError) as e:
            raise translate(e, target) from None
        except ValueError as e:
            raise InputError(f"--neo4j: {uri!r}: {e}") from None

    @contextmanager
    def session(self, read: bool = False) -> Iterator[Any]:
        from neo4j import READ_ACCESS, WRITE_ACCESS
        from neo4j import exceptions as x

        try:
            with self.driver.session(
                database=self.target.database, default_access_mode=READ_ACCESS if read else WRITE_ACCESS
            ) as session:
                yield session
        except (x.DriverError, x.Neo4jError) as e:
            raise translate(e, self.target) from None

    def read(
        self, text: str, params: Mapping[str, Any] | None = None, raw: bool = False
    ) -> tuple[list[str], list[dict[str, Any]]]:
        """Run a query in a read transaction: its columns and rows as plain values (raw: as
        the driver returns them, dates as dates)."""

        def work(tx: Any) -> tuple[list[str], list[dict[str, Any]]]:
            result = tx.run(text, dict(params or {}))
            rows = [{k: v if raw else plain(v) for k, v in record.items()} for record in result]
            return list(result.keys()), rows

        with self.session(read=True) as session:
            found: tuple[list[str], list[dict[str, Any]]] = session.execute_read(work)
            return found

    def close(self) -> None:
        self.driver.close()


def plain(value: Any) -> Any:
    """A driver value as JSON-able Python: dates as ISO text, graph objects as maps."""
    from neo4j import graph as g

    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, g.Node):
        return {"_labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, g.Relationship):
        return {"_type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, g.Path):
        return [plain(n) for n in value.nodes]
    if hasattr(value, "iso_format"):
        return str(value.iso_format())
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return str(value)
