"""accords: an event-sourced knowledge graph with a provenance audit trail.

    import accords
    record = accords.open("accords.db")   # or a postgresql:// URL

The Record's methods do what the commands do (accords.api) and answer in plain values
(accords.answers); they are imported on first use, so that a command pays only for what
it uses.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Answer", "Record", "Rows", "open"]


_HOME = {"Answer": "answers", "Rows": "answers", "Record": "api", "open": "api"}  # where each name lives


def __getattr__(name: str) -> Any:
    if name in _HOME:
        from importlib import import_module

        return getattr(import_module(f"accords.{_HOME[name]}"), name)
    raise AttributeError(f"module 'accords' has no attribute {name!r}")
