"""Every fact in the seed report can be written as a statement that conforms."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Literal, URIRef

from oracles.jsonld import statement_graph
from accords.ontology.states import resolve_state
from oracles.shacl import check_statement
from accords.ontology.vocabulary import ACC, ID_BASE


def state(name: str) -> str:
    """A reference written the way an analyst reads the report: by name."""
    return "state/" + resolve_state(name)


US = state("U.S.")

# (fact in the report's words, statement)
SEED_FACTS: list[tuple[str, dict[str, Any]]] = [
    (
        "a cable called for negotiations with at least nine nations in Africa and Central Asia",
        {
            "@id": "request/us-cable-2025",
            "@type": "Request",
            "requester": US,
            "requested_count": "at least nine",
            "regions": ["Africa", "Central Asia"],
            "channel": "diplomatic_cable",
            "subject": "accept deportees who are not their nationals",
            "criminal_records": True,
        },
    ),
    (
        "Rwanda has accepted financial incentives from Washington in exchange for taking in deportees",
        {
            "@type": "Payment",
            "payer": US,
            "payee": state("Rwanda"),
            "purpose": "taking in deportees",
            "agreement": "agreement/us-rw",
        },
    ),
    (
        "Rwanda's arrangement is paid for",
        {
            "@id": "agreement/us-rw",
            "@type": "Agreement",
            "parties": [US, state("Rwanda")],
            "compensated": True,
            "status": "reported",
        },
    ),
    (
        "Costa Rica has agreed to host specific individuals",
        {
            "@id": "agreement/us-cr",
            "@type": "Agreement",
            "parties": [US, state("Costa Rica")],
            "status": "signed",
            "case_by_case": True,
        },
    ),
    (
        "Kosovo has agreed to host specific individuals",
        {
            "@id": "agreement/us-xk",
            "@type": "Agreement",
            "parties": [US, state("Kosovo")],
            "status": "signed",
            "case_by_case": True,
        },
    ),
    (
        "by mid-2025 the U.S. intends to request that at least 58 countries welcome deportees",
        {
            "@type": "Target",
            "actor": US,
            "action": "request",
            "count": "at least 58",
            "deadline": "../2025-06-30",
            "description": "ask countries to take deportees who are not their citizens",
        },
    ),
    *[
        (
            f"{name} has formalised its willingness to accept deportees",
            {"@type": "Stance", "state": state(name), "position": "willing", "toward": US, "formal": True},
        )
        for name in ("Mexico", "Guatemala", "El Salvador", "Panama")
    ],
    (
        "Peru remains resistant",
        {"@type": "Stance", "state": state("Peru"), "position": "resisting", "toward": US},
    ),
    *[
        (
            f"the strategy explores {name} as a destination for deportations",
            {
                "@type": "Stance",
                "state": US,
                "position": "considering",
                "toward": state(name),
                "description": "exploring it as a destination for deportees",
            },
        )
        for name in ("Libya", "South Sudan")
    ],
    *[
        (
            f"{name} is characterised by instability and human rights violations",
            {
                "@type": "ConditionReport",
                "state": state(name),
                "conditions": ["instability", "human_rights_violations"],
            },
        )
        for name in ("Libya", "South Sudan")
    ],
]


@pytest.mark.parametrize(("fact", "statement"), SEED_FACTS, ids=[fact for fact, _ in SEED_FACTS])
def test_seed_fact_conforms(fact: str, statement: dict[str, Any]) -> None:
    assert check_statement(statement) == (), fact


def _objects(statement: dict[str, Any], prop: URIRef) -> set[Any]:
    return set(statement_graph(statement).objects(None, prop))


def test_cable_says_nine_criminal_records_and_channel() -> None:
    cable = SEED_FACTS[0][1]
    assert _objects(cable, ACC.criminalRecords) == {Literal(True)}
    assert _objects(cable, ACC.channel) == {ACC.diplomatic_cable}
    assert _objects(cable, ACC.region) == {Literal("Africa"), Literal("Central Asia")}


def test_kosovo_is_xk() -> None:
    kosovo = SEED_FACTS[4][1]
    assert URIRef(ID_BASE + "state/XK") in _objects(kosovo, ACC.party)


def test_target_deadline_is_by_mid_2025() -> None:
    target = SEED_FACTS[5][1]
    assert _objects(target, ACC.deadline) == {Literal("../2025-06-30")}
    assert _objects(target, ACC.action) == {ACC.request}


def test_every_statement_type_is_used_by_the_seed_or_fixtures() -> None:
    used = {statement["@type"] for _fact, statement in SEED_FACTS}
    assert {"Request", "Payment", "Agreement", "Target", "Stance", "ConditionReport"} <= used
