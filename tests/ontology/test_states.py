"""State references resolve to ISO 3166-1 codes, and nothing is guessed."""

from __future__ import annotations

import pytest

from accords.events.errors import InputError
from accords.ontology.states import (
    AmbiguousStateError,
    UnknownStateError,
    normalize_state_refs,
    resolve_state,
    state_iri,
    state_name,
    state_ref,
)

CASES = [
    ("RW", "RW"),
    ("rw", "RW"),
    ("RWA", "RW"),
    ("Rwanda", "RW"),
    ("  rwanda ", "RW"),
    ("United States", "US"),
    ("U.S.", "US"),
    ("USA", "US"),
    ("US", "US"),
    ("America", "US"),
    ("United States of America", "US"),
    ("United Kingdom", "GB"),
    ("UK", "GB"),
    ("Britain", "GB"),
    ("South Sudan", "SS"),
    ("Ivory Coast", "CI"),
    ("Côte d'Ivoire", "CI"),
    ("Cote d’Ivoire", "CI"),
    ("Congo-Kinshasa", "CD"),
    ("DRC", "CD"),
    ("Congo-Brazzaville", "CG"),
    ("Russia", "RU"),
    ("Iran", "IR"),
    ("Syria", "SY"),
    ("Laos", "LA"),
    ("Vietnam", "VN"),
    ("Bolivia", "BO"),
    ("Venezuela", "VE"),
    ("Tanzania", "TZ"),
    ("Czech Republic", "CZ"),
    ("Eswatini", "SZ"),
    ("Swaziland", "SZ"),
    ("Turkey", "TR"),
    ("Türkiye", "TR"),
    ("Burma", "MM"),
    ("Myanmar", "MM"),
    ("The Gambia", "GM"),
    ("Kosovo", "XK"),
    ("XK", "XK"),
    ("xk", "XK"),
    ("XKX", "XK"),
    ("El Salvador", "SV"),
    ("Guatemala", "GT"),
    ("Mexico", "MX"),
    ("Panama", "PA"),
    ("Peru", "PE"),
    ("Libya", "LY"),
    ("Costa Rica", "CR"),
]


@pytest.mark.parametrize(("text", "code"), CASES)
def test_resolves(text: str, code: str) -> None:
    assert resolve_state(text) == code


@pytest.mark.parametrize(
    ("code", "name"), [("RW", "Rwanda"), ("XK", "Kosovo"), ("BO", "Bolivia"), ("US", "United States")]
)
def test_state_name(code: str, name: str) -> None:
    assert state_name(code) == name


def test_unknown_name_suggests_close_matches() -> None:
    with pytest.raises(UnknownStateError) as caught:
        resolve_state("Rwnada")
    assert "Rwnada" in caught.value.message
    assert caught.value.hint is not None and "Rwanda (RW)" in caught.value.hint


def test_unknown_is_a_lookup_error_and_an_input_error() -> None:
    with pytest.raises(LookupError):
        resolve_state("Atlantis")
    with pytest.raises(InputError):
        resolve_state("Atlantis")


@pytest.mark.parametrize("text", ["Congo", "the Congo", "Korea", "Virgin Islands"])
def test_ambiguous_name_is_an_error(text: str) -> None:
    with pytest.raises(AmbiguousStateError) as caught:
        resolve_state(text)
    assert text in caught.value.message


def test_ambiguity_names_the_candidates() -> None:
    with pytest.raises(AmbiguousStateError, match=r"\(CD\).*\(CG\)"):
        resolve_state("Congo")


def test_unknown_code_has_no_name() -> None:
    with pytest.raises(UnknownStateError):
        state_name("ZZ")
    with pytest.raises(UnknownStateError):
        state_name("Rwanda")


def test_state_ref_normalizes_the_code() -> None:
    assert state_ref("state/rwanda") == "state/RW"
    assert state_ref("state/U.S.") == "state/US"
    assert state_ref("https://w3id.org/accords/id/state/rw") == "state/RW"
    assert str(state_iri("Kosovo")) == "https://w3id.org/accords/id/state/XK"


def test_state_ref_refuses_other_references() -> None:
    with pytest.raises(InputError, match="not a state reference"):
        state_ref("agreement/us-rw")


def test_normalize_state_refs_in_a_statement() -> None:
    statement = {"@type": "Transfer", "from": "state/usa", "to": "state/Costa Rica", "via": ["state/pa"], "people": 200}
    assert normalize_state_refs(statement) == {
        "@type": "Transfer",
        "from": "state/US",
        "to": "state/CR",
        "via": ["state/PA"],
        "people": 200,
    }
