// title: Trace an agreement
// description: From an agreement to every claim stating anything about it (its parties, status, terms), with the quote, speaker, source, outlet and the sources it derives from.
// param agreement: iri = agreement/us-rw -- the agreement, as agreement/…
MATCH (a:Agreement {iri: $agreement})
UNWIND a.claims AS id
MATCH (c:Claim {id: id}) WHERE c.seq <= $as_of
MATCH (c)-[:FROM]->(src:Source), (c)-[:ATTRIBUTED_TO]->(sp:Speaker)
OPTIONAL MATCH (src)-[:DERIVED_FROM]->(up:Source)
RETURN a.iri AS agreement, c.iri AS claim, c.seq AS seq, c.polarity AS polarity, coalesce(CASE WHEN c.retracted_seq <= $as_of THEN c.status END, 'active') AS status,
       c.quote AS quote, sp.name AS speaker, src.title AS source, src.publisher AS publisher,
       src.url AS url, collect(up.title) AS derived_from, c.recorded_by AS recorded_by
ORDER BY seq
