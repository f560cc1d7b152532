"""What a log's sources suggest about wire copy: derivations a person may then record.

Two signs, read from the events as recorded (nothing is fetched):

- a source that names a news agency: its title, publisher, author or note ("(AFP)",
  "Reuters copy", "By Associated Press"), or the quote of one of its claims ("told AFP",
  "MBABANE (Reuters)"), suggests it carries that agency's copy: `derived_from` the agency;
- two claims about one thing whose quotes are near-duplicates (rapidfuzz's normalised
  Levenshtein ratio, at least `threshold` of 100, quotes of eight words or more) suggest
  the later source carries the earlier one's text, or both one upstream's.

A suggestion is only that: it becomes a fact when a person records the derivation (with
who judged and why: DerivationJudged). Sources that already derive from the suggested
upstream, declared or judged, directly or through others, are not suggested again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from accords.events.model import Event

# News agencies by the names pages give them, and the actor each is recorded as. Acronyms
# match as words in their own case ("AP" is not "ap" or "APA"); names in any case.
AGENCIES: dict[str, tuple[str, ...]] = {
    "actor/afp": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "actor/reuters": ("Reuters",),
    "actor/ap": ("AP", "Associated Press"),
    "actor/efe": ("EFE",),
    "actor/anadolu": ("Anadolu",),
    "actor/xinhua": ("Xinhua",),
    "actor/dpa": ("dpa", "Deutsche Presse-Agentur"),
    "actor/ansa": ("ANSA",),
    "actor/pti": ("PTI", "Press Trust of India"),
    "actor/uni": ("UNI", "United News of India"),
    "actor/ians": ("IANS",),
    "actor/gna": ("GNA", "Ghana News Agency"),
    "actor/kyodo": ("Kyodo",),
    "actor/yonhap": ("Yonhap",),
    "actor/bernama": ("Bernama",),
    "actor/tass": ("TASS",),
}
_FIELDS = ("title", "publisher", "author", "note")
MIN_WORDS = 8


def _pattern(name: str) -> str:
    """name as a word, not in "AFP-style" or "Reuters style" (what reads like an agency's
    copy without saying so is not a sign of it)."""
    word = rf"\b{re.escape(name)}\b(?![-\s]style)"
    return word if name.isupper() or name == "dpa" else f"(?i:{word})"


_NAMES = [(agency, re.compile(_pattern(name))) for agency, names in AGENCIES.items() for name in names]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A derivation the record suggests: source (its key, else its id) derives from
    upstream (an agency, or a source's key or id), why, and how sure (100 for an agency
    named; the quotes' ratio otherwise)."""

    source: str
    upstream: str
    why: str
    score: int


@dataclass
class _Source:
    id: str
    key: str | None
    body: dict[str, Any]
    quotes: list[tuple[str, str | None]]  # (quote, claim key) of its claims


def _name(source: _Source) -> str:
    return source.key or source.id


def _agency_in(text: str) -> tuple[str, str] | None:
    """The agency text names first, and the words it names it by."""
    found = [(m.start(), agency, m[0]) for agency, pattern in _NAMES if (m := pattern.search(text))]
    return min(found)[1:] if found else None


def suggest(events: Iterable[Event], threshold: int = 90) -> list[Suggestion]:
    """The derivations these events (a log, in order) suggest, source by source."""
    from rapidfuzz import fuzz

    sources: dict[str, _Source] = {}
    about: dict[str, list[tuple[str, str, str | None]]] = {}  # thing -> (source id, quote, claim key)
    judged: dict[str, tuple[str, list[str]]] = {}  # standing judgements: source id, what it derives from
    for event in events:
        if event.type == "SourceRegistered":
            sources[event.id] = _Source(event.id, event.key, event.data(), [])
        elif event.type == "DerivationJudged":
            body = event.data()
            judged[event.id] = (body["source"], body["derived_from"])
        elif event.type == "DerivationUndone":
            judged.pop(event.data()["judgement"], None)
        elif event.type == "ClaimRecorded":
            body = event.data()
            source = sources.get(body["source"])
            if source is None:
                continue
            source.quotes.append((body["quote"], event.key))
            statement = body["statement"]
            for node in statement if isinstance(statement, list) else [statement]:
                if isinstance(node, dict) and isinstance(node.get("@id"), str):
                    about.setdefault(node["@id"], []).append((source.id, body["quote"], event.key))

    links: dict[str, list[str]] = {s.id: list(s.body.get("derived_from", [])) for s in sources.values()}
    for source_id, upstreams in judged.values():
        links.setdefault(source_id, []).extend(upstreams)

    def upstream(source_id: str) -> set[str]:
        """Everything a source derives from, declared or judged, directly or through others (and itself)."""
        seen, todo = set(), [source_id]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            todo += links.get(current, [])
        return seen

    found: dict[tuple[str, str], Suggestion] = {}
    for source in sources.values():
        named = [(f, source.body[f]) for f in _FIELDS if isinstance(source.body.get(f), str)]
        named += [(f"the quote of {key or 'a claim'}", quote) for quote, key in source.quotes]
        for where, text in named:
            hit = _agency_in(text)
            if hit is not None and hit[0] not in upstream(source.id):
                why = f"{where} names {hit[1]!r}"
                found.setdefault((source.id, hit[0]), Suggestion(_name(source), hit[0], why, 100))
    for claims in about.values():
        for i, (a, quote_a, key_a) in enumerate(claims):
            for b, quote_b, key_b in claims[i + 1 :]:
                if a == b or min(len(quote_a.split()), len(quote_b.split())) < MIN_WORDS:
                    continue
                score = fuzz.ratio(quote_a, quote_b, processor=str.lower, score_cutoff=threshold)
                if not score or upstream(a) & upstream(b):
                    continue
                later, earlier = (a, b) if _published(sources[a]) >= _published(sources[b]) else (b, a)
                why = f"the quote of {key_a or 'a claim'} is {score:.0f}% that of {key_b or 'a claim'}"
                if (later, earlier) not in found:
                    found[(later, earlier)] = Suggestion(
                        _name(sources[later]), _name(sources[earlier]), why, round(score)
                    )
    return sorted(found.values(), key=lambda s: (s.source, s.upstream))


def _published(source: _Source) -> str:
    """When a source was published, for which of two copies came later (undated: last)."""
    published = source.body.get("published")
    return published if isinstance(published, str) else "9999"
