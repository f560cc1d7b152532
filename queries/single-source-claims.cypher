// title: Claims resting on a single independent source
// description: Believed claims about an entity for which every supporting claim traces back to one upstream report (sources that derive from the same report count once).
// A claim is believed on the clocks ($as_of, $known_by, $valid_at) when in view, affirmed, and not yet
// retracted or corrected. Its roots: the sources its source derives from that derive from nothing.
MATCH (c:Claim)-[ab:ABOUT]->(about:Entity)
WHERE c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
  AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
MATCH (c)-[:FROM]->(:Source)-[:DERIVED_FROM*0..]->(root:Source)
WHERE NOT (root)-[:DERIVED_FROM]->()
WITH about, ab.type AS type, count(DISTINCT root) AS roots
WHERE roots = 1
MATCH (claim:Claim)-[:ABOUT]->(about)
WHERE claim.seq <= $as_of
  AND ($known_by IS NULL OR claim.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(claim.valid_from <= $valid_at, true) AND coalesce(claim.valid_until >= $valid_at, true)))
  AND claim.polarity = 'affirmed' AND coalesce(claim.retracted_seq, $as_of + 1) > $as_of
MATCH (claim)-[:FROM]->(:Source)-[:DERIVED_FROM*0..]->(root:Source)
WHERE NOT (root)-[:DERIVED_FROM]->()
RETURN about.iri AS about, type, count(DISTINCT claim) AS claims, min(root.title) AS only_source
ORDER BY type, about
