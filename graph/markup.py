"""Fact-checks and quotes out, in the formats the tools fact-checkers publish with read.

`claimreview`: each review of a claim (ClaimReviewed) as schema.org ClaimReview, the
markup fact-checkers embed in their pages and search engines read: the quote it rates
(claimReviewed), the claim with its speaker and where it appeared (the source; its first
appearance, the source it derives from at the root, when it is wire copy), the rating
(reviewRating: ratingValue 5 true .. 1 false, with its words as alternateName; "unproven"
and "misleading" are words only), who reviewed it and when, and the sources it cites.

`annotation`: each claim whose source has a URL as a W3C Web Annotation (an
AnnotationPage): its target is the quote on that page (a TextQuoteSelector), its body
what the claim states, so annotation tools can show the quote where it stands.

Both read the projection of a view with standard SPARQL 1.1, and are JSON-LD documents:
ClaimReview in the schema.org context, annotations in the Web Annotation one (contexts by
URL, as those tools expect: nothing is fetched when they are written).
"""

from __future__ import annotations

from typing import IO, Any

import orjson

from accords.graph.projection import Projection

SCHEMA_CONTEXT = "https://schema.org"
ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
RATING_VALUES = {"true": 5, "mostly_true": 4, "mixed": 3, "mostly_false": 2, "false": 1}

_PREFIXES = """PREFIX acc: <https://w3id.org/accords/ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX graph: <https://w3id.org/accords/graph/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
"""

# A source as ClaimReview names an appearance: its URL, title, publisher and date.
_APPEARANCE = """
    ?{s} dcterms:title ?{s}_title .
    OPTIONAL {{ ?{s} schema:url ?{s}_url }}
    OPTIONAL {{ ?{s} dcterms:publisher/rdfs:label ?{s}_publisher }}
    OPTIONAL {{ ?{s} dcterms:issued ?{s}_published }}"""

REVIEWS = (
    _PREFIXES
    + """SELECT ?review ?rating ?reviewer ?note ?reviewed_at ?claim ?key ?quote ?speaker
       ?source ?source_title ?source_url ?source_publisher ?source_published
       ?root ?root_title ?root_url ?root_publisher ?root_published ?cited ?cited_title ?cited_url
WHERE {
  GRAPH graph:provenance {
    ?review a schema:ClaimReview ; schema:itemReviewed ?claim ; acc:rating ?rating ;
            schema:author ?reviewer ; prov:generatedAtTime ?reviewed_at .
    OPTIONAL { ?review schema:comment ?note }
    ?claim acc:quote ?quote ; prov:wasAttributedTo/rdfs:label ?speaker ; prov:wasDerivedFrom ?source .
    OPTIONAL { ?claim acc:key ?key }"""
    + _APPEARANCE.format(s="source")
    + """
    OPTIONAL {  # the first appearance: the source it derives from that derives from nothing
      ?source prov:wasDerivedFrom+ ?root FILTER NOT EXISTS { ?root prov:wasDerivedFrom ?upstream }"""
    + _APPEARANCE.format(s="root")
    + """
    }
    OPTIONAL { ?review prov:wasDerivedFrom ?cited . ?cited dcterms:title ?cited_title
               OPTIONAL { ?cited schema:url ?cited_url } }
  }
}
ORDER BY ?reviewed_at ?review ?root ?cited"""
)

QUOTES = (
    _PREFIXES
    + """SELECT ?claim ?key ?quote ?speaker ?url ?title ?recorder ?recorded_at ?status
       (GROUP_CONCAT(DISTINCT STR(?type); separator=" ") AS ?types)
WHERE {
  GRAPH graph:provenance {
    ?claim a acc:Claim ; acc:quote ?quote ; prov:wasAttributedTo/rdfs:label ?speaker ;
           prov:wasDerivedFrom ?source ; acc:recordedBy/rdfs:label ?recorder ;
           prov:generatedAtTime ?recorded_at ; acc:status ?status .
    ?source schema:url ?url ; dcterms:title ?title .
    OPTIONAL { ?claim acc:key ?key }
    OPTIONAL { ?claim acc:statementType ?type }
  }
}
GROUP BY ?claim ?key ?quote ?speaker ?url ?title ?recorder ?recorded_at ?status
ORDER BY ?recorded_at ?claim"""
)


def _value(term: Any) -> str | None:
    return None if term is None else str(term.value)


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _appearance(row: Any, s: str) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "@id": _value(row[s]), "headline": _value(row[f"{s}_title"])}
    if row[f"{s}_url"] is not None:
        work["url"] = _value(row[f"{s}_url"])
    if row[f"{s}_publisher"] is not None:
        work["publisher"] = {"@type": "Organization", "name": _value(row[f"{s}_publisher"])}
    if row[f"{s}_published"] is not None:
        work["datePublished"] = _value(row[f"{s}_published"])
    return work


def claim_reviews(projection: Projection) -> dict[str, Any]:
    """Every ClaimReviewed of the view as a schema.org ClaimReview (one JSON-LD document)."""
    reviews: dict[str, dict[str, Any]] = {}
    for row in projection.store.query(REVIEWS):  # type: ignore[union-attr]
        iri = _value(row["review"]) or ""
        review = reviews.get(iri)
        if review is None:
            rating = _local(_value(row["rating"]) or "")
            stars = RATING_VALUES.get(rating)
            appearance = _appearance(row, "source")
            review = reviews[iri] = {
                "@type": "ClaimReview",
                "@id": iri,
                "datePublished": (_value(row["reviewed_at"]) or "")[:10],
                "author": {"@type": "Organization", "name": _value(row["reviewer"])},
                "claimReviewed": _value(row["quote"]),
                "itemReviewed": {
                    "@type": "Claim",
                    "@id": _value(row["claim"]),
                    "name": _value(row["key"]) or _value(row["claim"]),
                    "author": {"@type": "Person", "name": _value(row["speaker"])},
                    "appearance": appearance,
                    "firstAppearance": _appearance(row, "root") if row["root"] is not None else appearance,
                },
                "reviewRating": {"@type": "Rating", "alternateName": rating.replace("_", " ")}
                | ({"ratingValue": stars, "bestRating": 5, "worstRating": 1} if stars else {}),
            }
            if row["note"] is not None:
                review["reviewBody"] = _value(row["note"])
        if row["cited"] is not None:
            cited = {"@type": "CreativeWork", "@id": _value(row["cited"]), "headline": _value(row["cited_title"])}
            if row["cited_url"] is not None:
                cited["url"] = _value(row["cited_url"])
            if cited not in review.setdefault("citation", []):
                review["citation"].append(cited)
    return {"@context": SCHEMA_CONTEXT, "@graph": list(reviews.values())}


def web_annotations(projection: Projection) -> dict[str, Any]:
    """Every claim of the view whose source has a URL as a Web Annotation of its quote."""
    items = []
    for row in projection.store.query(QUOTES):  # type: ignore[union-attr]
        types = ", ".join(sorted(_local(t) for t in (_value(row["types"]) or "").split()))
        said = f"{types or 'A claim'}, said by {_value(row['speaker'])} ({_local(_value(row['status']) or '')})"
        items.append(
            {
                "id": _value(row["claim"]),
                "type": "Annotation",
                "motivation": "describing",
                "created": _value(row["recorded_at"]),
                "creator": {"type": "Person", "name": _value(row["recorder"])},
                "body": {"type": "TextualBody", "value": said, "format": "text/plain"},
                "target": {
                    "source": _value(row["url"]),
                    "selector": {"type": "TextQuoteSelector", "exact": _value(row["quote"])},
                },
                "label": _value(row["key"]) or _value(row["claim"]),
            }
        )
    return {"@context": ANNOTATION_CONTEXT, "type": "AnnotationPage", "items": items}


def write(projection: Projection, format: str, out: IO[bytes]) -> None:  # noqa: A002
    doc = claim_reviews(projection) if format == "claimreview" else web_annotations(projection)
    out.write(orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n")
