"""The statements command: what a claim's statement may say, per @type."""

from __future__ import annotations

import click

from accords.events.errors import InputError
from accords.output import format_option, render

COLUMNS = ["type", "key", "required", "takes", "meaning"]


@click.command()
@click.argument("type_", metavar="[TYPE]", required=False)
@format_option("table", "json", "csv")
def statements(type_: str | None, fmt: str | None) -> None:
    """The keys a claim's statement may use, for each @type (or one), from the shapes.

    Required keys come first. Keys naming a state take "state/XX" (an ISO 3166-1 code,
    a name or an alias); dates are EDTF; worded numbers ("about 200") keep their words.

    \b
    Example:
      accords statements Transfer
      accords statements --format json
    """
    from accords.ontology.reference import statement_keys

    keys = statement_keys()
    types = sorted({k.type for k in keys})
    if type_ is not None and type_ not in types:
        raise InputError(f"no statement type {type_!r}", "one of: " + ", ".join(types))
    render(
        (
            {
                "type": k.type,
                "key": k.key,
                "required": "yes" if k.required else "",
                "takes": ("a list" if k.many else "one") + (": " + ", ".join(k.values) if k.values else ""),
                "meaning": k.meaning,
            }
            for k in keys
            if type_ in (None, k.type)
        ),
        COLUMNS,
        fmt,
    )
