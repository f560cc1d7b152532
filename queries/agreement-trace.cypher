// title: Trace an agreement
// description: From an agreement to every claim stating anything about it (its parties, status, terms), with the quote, speaker, source, outlet and the sources it derives from.
// param agreement: iri = agreement/us-rw -- the agreement, as agreement/…
// A claim is in view on the clocks ($as_of, $known_by, $valid_at); its status is active until its first
// retraction or correction recorded by $as_of.
MATCH (a:Agreement {iri: $agreement})
UNWIND a.claims AS id
MATCH (c:Claim {id: id})
WHERE c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
MATCH (c)-[:FROM]->(src:Source), (c)-[:ATTRIBUTED_TO]->(sp:Speaker)
OPTIONAL MATCH (src)-[d:DERIVED_FROM]->(up) WHERE coalesce(d.from_seq, 0) <= $as_of AND coalesce(d.until_seq, $as_of + 1) > $as_of
RETURN a.iri AS agreement, c.iri AS claim, c.seq AS seq, c.polarity AS polarity, coalesce(CASE WHEN c.retracted_seq <= $as_of THEN c.status END, 'active') AS status,
       c.quote AS quote, sp.name AS speaker, src.title AS source, src.publisher AS publisher,
       src.url AS url, collect(DISTINCT coalesce(up.title, up.iri)) AS derived_from, c.recorded_by AS recorded_by
ORDER BY seq
