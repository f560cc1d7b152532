// title: Timeline of a state
// description: Every claim whose statement names a state, in order of valid time, with what it says, who said it, and its status.
// param state: iri = state/RW -- the state: state/PE, or a code or name (PE, Peru)
// A claim names the state when the state is an end of a relationship it states, or the subject of its statement.
// A claim is in view on the clocks ($as_of, $known_by, $valid_at); its status at $as_of is decided by
// the latest retraction or correction recorded by then.
MATCH (s:Entity {iri: $state})
CALL (s) {
  MATCH (s)-[r]-(:Entity) WHERE type(r) <> 'SAME_AS'
  UNWIND r.claims AS id
  MATCH (c:Claim {id: id})
  RETURN c
  UNION
  MATCH (c:Claim)-[:ABOUT|STATES]->(s)
  RETURN c
}
WITH DISTINCT s, c
WHERE c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
MATCH (c)-[:ATTRIBUTED_TO]->(sp:Speaker), (c)-[:FROM]->(src:Source)
WITH s, c, sp, src, reduce(last = null, e IN [(c)-[:INVALIDATED_BY]->(e) WHERE e.seq <= $as_of | e] |
       CASE WHEN last IS NULL OR e.seq > last.seq THEN e ELSE last END) AS last
UNWIND c.types AS type
RETURN DISTINCT s.iri AS state, c.valid_from AS valid_from, c.valid_time AS valid_time, type, c.seq AS seq,
       c.key AS key, c.iri AS claim,
       CASE WHEN last IS NULL THEN 'active' WHEN last:Correction THEN 'corrected' ELSE 'retracted' END AS status,
       sp.name AS speaker, c.quote AS quote, src.title AS source
ORDER BY valid_from, seq
