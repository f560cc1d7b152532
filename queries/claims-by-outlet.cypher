// title: Claims by outlet
// description: Every claim recorded from sources of one publisher, with its quote, speaker, certainty and status.
// param publisher: string = Example News -- the publisher's name as recorded
// Status at $as_of: the latest retraction or correction recorded by then decides.
MATCH (c:Claim)-[:FROM]->(src:Source {publisher: $publisher})
WHERE c.seq <= $as_of
MATCH (c)-[:ATTRIBUTED_TO]->(sp:Speaker)
WITH c, src, sp, reduce(last = null, e IN [(c)-[:INVALIDATED_BY]->(e) WHERE e.seq <= $as_of | e] |
       CASE WHEN last IS NULL OR e.seq > last.seq THEN e ELSE last END) AS last
RETURN src.publisher AS publisher, c.seq AS seq, c.key AS key, c.iri AS claim,
       CASE WHEN last IS NULL THEN 'active' WHEN last:Correction THEN 'corrected' ELSE 'retracted' END AS status,
       c.certainty AS certainty, sp.name AS speaker, c.quote AS quote, src.title AS source, src.published AS published
ORDER BY seq
