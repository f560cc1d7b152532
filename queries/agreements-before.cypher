// title: Agreements before a date
// description: Agreements (of any state) reported, announced, signed, published in an official register or in force before a date, as each believed claim states it - what happened and when that claim says it did - with its source. A date that may fall on or after the day (2025-06 against 2025-06-15) is not before it; a weekday with no week is never known to be.
// param before: date = 2025-06-01 -- the day: what certainly happened before it
// A claim is believed on the clocks ($as_of, $known_by, $valid_at) when in view, affirmed, and not yet
// retracted or corrected; each date is one this claim states, compared by its latest day (STATES ...Latest).
MATCH (c:Claim)-[:ABOUT {type: 'Agreement'}]->(a:Entity)
WHERE c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
  AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
CALL (c, a) {
  WITH c WHERE c.published_latest < $before
  RETURN 'reported' AS what, toString(c.published_latest) AS when
  UNION
  MATCH (c)-[d:STATES]->(a) WHERE d.property IN ['announcedDate', 'signedDate', 'publishedDate', 'inForceDate']
  MATCH (c)-[latest:STATES]->(a) WHERE latest.property = d.property + 'Latest' AND latest.value < $before
  RETURN CASE d.property WHEN 'announcedDate' THEN 'announced' WHEN 'signedDate' THEN 'signed'
         WHEN 'publishedDate' THEN 'published officially' ELSE 'in force' END AS what, d.value AS when
}
MATCH (c)-[:FROM]->(src:Source)
RETURN DISTINCT a.iri AS agreement, what, when, c.iri AS claim, src.title AS source
ORDER BY agreement, when, what, claim
