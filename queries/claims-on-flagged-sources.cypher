// title: Claims that rest only on flagged sources
// description: Claims in view whose source, and every source it derives from, a fact-checker has flagged (automated rewrite, AI-summarised, opinion, satire, internal errors, unreliable dating): the latest assessment of each by then holds, and one without flags lifts them. With each, the flags of its own source, who assessed it and why.
// A claim is in view on the clocks ($as_of, $known_by, $valid_at) and standing at $as_of; an
// assessment holds when it is the latest of its source recorded by $as_of.
MATCH (c:Claim)-[:FROM]->(src:Source)
WHERE c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
  AND NOT EXISTS { MATCH (c)-[:INVALIDATED_BY]->(e) WHERE e.seq <= $as_of }
WITH c, src, [s IN [src] + [(src)-[links:DERIVED_FROM*1..]->(u) WHERE all(d IN links WHERE coalesce(d.from_seq, 0) <= $as_of AND coalesce(d.until_seq, $as_of + 1) > $as_of) | u] |
       reduce(last = null, a IN [(a:Assessment)-[:ASSESSES]->(s) WHERE a.seq <= $as_of | a] |
              CASE WHEN last IS NULL OR a.seq > last.seq THEN a ELSE last END)] AS latest
WHERE all(a IN latest WHERE a IS NOT NULL AND size(a.flags) > 0)
WITH c, src, latest[0] AS a
RETURN c.key AS key, c.iri AS claim, c.quote AS quote, src.title AS source,
       reduce(text = head(a.flags), f IN tail(a.flags) | text + ', ' + f) AS flags,
       a.assessor AS assessor, a.note AS note
ORDER BY c.seq
