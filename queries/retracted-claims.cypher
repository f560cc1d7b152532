// title: Retracted and corrected claims, and why
// description: Claims retracted or corrected, with the reason, the note, the correcting claim and the seq at which it happened.
// A claim is in view on the clocks ($as_of, $known_by, $valid_at); a retraction or correction when recorded by $as_of.
MATCH (c:Claim)-[:INVALIDATED_BY]->(event)
WHERE event.seq <= $as_of
  AND c.seq <= $as_of
    AND ($known_by IS NULL OR c.published_latest <= $known_by)
    AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
WITH c, event, reduce(last = null, e IN [(c)-[:INVALIDATED_BY]->(e) WHERE e.seq <= $as_of | e] |
       CASE WHEN last IS NULL OR e.seq > last.seq THEN e ELSE last END) AS last
RETURN c.key AS key, c.iri AS claim,
       CASE WHEN last IS NULL THEN 'active' WHEN last:Correction THEN 'corrected' ELSE 'retracted' END AS status,
       event.reason AS reason, event.note AS note, event.replacement AS replacement,
       event.seq AS invalidated_seq, c.quote AS quote
ORDER BY invalidated_seq
