// title: What changed between two dates
// description: Claims recorded, retracted or corrected between two record times (UTC, inclusive of the start, exclusive of the end), in log order.
// param from: date = 2025-01-01 -- the first day
// param to: date = 2100-01-01 -- the day after the last
// A claim is in view on the clocks ($as_of, $known_by, $valid_at); a retraction or correction when recorded by $as_of.
MATCH (c:Claim)
WHERE c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
CALL (c) {
  RETURN c.seq AS seq, c.recorded_at AS at, 'recorded' AS change
  UNION
  MATCH (c)-[:INVALIDATED_BY]->(e) WHERE e.seq <= $as_of
  RETURN e.seq AS seq, e.recorded_at AS at, CASE WHEN e:Correction THEN 'corrected' ELSE 'retracted' END AS change
}
WITH c, seq, change, datetime(at) AS at
WHERE at >= datetime({date: $from, timezone: 'Z'}) AND at < datetime({date: $to, timezone: 'Z'})
RETURN $from AS from, $to AS to, seq, change, c.key AS key, c.iri AS claim, c.quote AS quote
ORDER BY seq
