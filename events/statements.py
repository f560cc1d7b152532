"""A claim's statement: compact JSON-LD in the accords context, checked before it is hashed."""

from __future__ import annotations

from typing import Any

from accords.errors import InputError
from accords.ontology.states import normalize_state_refs


def normalize_statement(value: Any) -> dict[str, Any]:
    """The statement as it will be stored, or InputError saying what is wrong."""
    if not isinstance(value, dict):
        raise InputError(f"expected a JSON object, got {type(value).__name__}")
    if "@context" in value:
        raise InputError(
            "@context is not allowed: statements are read in the accords context",
            "remove @context; no JSON-LD context is ever fetched over the network",
        )
    kind = value.get("@type")
    if not isinstance(kind, str) or not kind:
        raise InputError('needs an "@type", such as "Agreement" or "Transfer"')
    # "state/Rwanda" and "state/rw" are stored as "state/RW": the log holds what it means.
    return normalize_state_refs(value)
