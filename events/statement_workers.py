"""Claims' statements checked ahead, in worker processes, while the log appends.

The statement check (the SHACL shapes, compiled) is half of what an import costs and
depends on nothing but the statement, so a long append hands each chunk's statements
to forked workers, a chunk per worker ahead of where it is. normalize_statement runs there
exactly as it would here; its result, or its error, comes back and is used in place
of running it again. Appends of one chunk or less never start a worker.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from accords.events.errors import InputError
from accords.events.processes import usable
from accords.events.schema import STATEMENT_FIELDS, Normalize, normalize_statement

if TYPE_CHECKING:
    from concurrent.futures import Future

Outcome = tuple[bool, Any]  # (True, the statement as stored) or (False, (message, hint))


def _watch(parent: int) -> None:
    """In a worker: exit once the parent is gone (killed, say), rather than wait forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _outcomes(statements: list[Any]) -> list[Outcome]:
    """What normalize_statement makes of each statement (in a worker)."""
    out: list[Outcome] = []
    for statement in statements:
        try:
            out.append((True, normalize_statement(statement)))
        except InputError as e:
            out.append((False, (e.message, e.hint)))
    return out


def _statements(chunk: list[Any]) -> tuple[list[int], list[Any]]:
    """The positions in chunk of drafts with a statement to check, and the statements."""
    where, statements = [], []
    for i, draft in enumerate(chunk):
        field = STATEMENT_FIELDS.get(draft.type) if isinstance(draft.type, str) else None
        if field is not None and isinstance(draft.body, dict) and draft.body.get(field) is not None:
            where.append(i)
            statements.append(draft.body[field])
    return where, statements


def _answer(outcome: Outcome) -> Normalize:
    """A normalize_statement that gives the worker's outcome instead of checking again."""
    ok, value = outcome

    def normalize(_statement: Any) -> dict[str, Any]:
        if ok:
            return value  # type: ignore[no-any-return]
        raise InputError(*value)

    return normalize


def checked_ahead(
    chunks: Iterator[list[Any]], processes: int | None = None
) -> Iterator[tuple[list[Any], list[Normalize]]]:
    """Each chunk with, per draft, the normalize_statement to use for its statement.

    The first chunk is checked here (it also compiles the shapes, which forked workers
    then inherit); from the second on, processes - 1 workers (processes: see
    processes.usable) check chunks ahead.
    """
    first = next(chunks, None)
    if first is None:
        return
    yield first, [normalize_statement] * len(first)
    workers = usable(processes) - 1
    if workers < 1:
        for chunk in chunks:
            yield chunk, [normalize_statement] * len(chunk)
        return
    import multiprocessing  # here, with the pool: ~25 ms to import, and most appends need neither
    from concurrent.futures import ProcessPoolExecutor

    ahead: deque[tuple[list[Any], list[int], Future[list[Outcome]]]] = deque()
    fork = multiprocessing.get_context("fork")
    unreadable: Exception | None = None
    with ProcessPoolExecutor(workers, fork, initializer=_watch, initargs=(os.getpid(),)) as pool:
        try:
            while True:
                try:
                    chunk = next(chunks)
                except StopIteration:
                    break
                except Exception as e:  # raised after the chunks before it, as without workers
                    unreadable = e
                    break
                where, statements = _statements(chunk)
                ahead.append((chunk, where, pool.submit(_outcomes, statements)))
                if len(ahead) > workers:
                    yield _with_answers(*ahead.popleft())
            while ahead:
                yield _with_answers(*ahead.popleft())
        finally:
            for _, _, future in ahead:
                future.cancel()
    if unreadable is not None:
        raise unreadable


def _with_answers(
    chunk: list[Any], where: list[int], future: Future[list[Outcome]]
) -> tuple[list[Any], list[Normalize]]:
    """The chunk, and per draft its worker's answer (or the check, for a draft without one)."""
    normalizers: list[Normalize] = [normalize_statement] * len(chunk)
    for i, outcome in zip(where, future.result()):
        normalizers[i] = _answer(outcome)
    return chunk, normalizers
