// title: Retracted and corrected claims, and why
// description: Claims retracted or corrected, with the reason, the note, the correcting claim and the seq at which it happened.
MATCH (c:Claim)-[:INVALIDATED_BY]->(event)
WHERE c.seq <= $as_of AND event.seq <= $as_of
WITH c, event, reduce(last = null, e IN [(c)-[:INVALIDATED_BY]->(e) WHERE e.seq <= $as_of | e] |
       CASE WHEN last IS NULL OR e.seq > last.seq THEN e ELSE last END) AS last
RETURN c.key AS key, c.iri AS claim,
       CASE WHEN last IS NULL THEN 'active' WHEN last:Correction THEN 'corrected' ELSE 'retracted' END AS status,
       event.reason AS reason, event.note AS note, event.replacement AS replacement,
       event.seq AS invalidated_seq, c.quote AS quote
ORDER BY invalidated_seq
