// title: Claims by outlet
// description: Every claim recorded from sources of one publisher, with its quote, speaker, certainty and status.
// param publisher: string = Example News -- the publisher's name as recorded
// A claim is in view on the clocks ($as_of, $known_by, $valid_at); its status at $as_of is decided by
// the latest retraction or correction recorded by then.
MATCH (c:Claim)-[:FROM]->(src:Source {publisher: $publisher})
WHERE c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
MATCH (c)-[:ATTRIBUTED_TO]->(sp:Speaker)
WITH c, src, sp, reduce(last = null, e IN [(c)-[:INVALIDATED_BY]->(e) WHERE e.seq <= $as_of | e] |
       CASE WHEN last IS NULL OR e.seq > last.seq THEN e ELSE last END) AS last
RETURN src.publisher AS publisher, c.seq AS seq, c.key AS key, c.iri AS claim,
       CASE WHEN last IS NULL THEN 'active' WHEN last:Correction THEN 'corrected' ELSE 'retracted' END AS status,
       c.certainty AS certainty, sp.name AS speaker, c.quote AS quote, src.title AS source, src.published AS published
ORDER BY seq
