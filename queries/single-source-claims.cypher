// title: Facts resting on a single independent source
// description: Each fact the judgement compares - a thing, a property it judges (a date, an amount, a count, a status, a stance's position...) and one value, or that the thing exists - that believed claims state and that traces back to one upstream report only (sources that derive from the same report count once), with the claims that state it and that report. A fact is judged on its own: a $7.85M payment one page reports is listed even when other pages report the same agreement.
// What the judgement compares is marked judged (the vocabulary's acc:judged), and a node
// without @id is the same stance or count in two claims through its frame. A claim is
// believed on the clocks ($as_of, $known_by, $valid_at) when in view, affirmed, and not yet
// retracted or corrected. Its roots: the sources its source derives from that derive from nothing.
CALL () {
  MATCH (c:Claim)-[st:STATES {judged: true}]->(n:Entity)
  RETURN c, coalesce(st.frame, n.iri) AS subject, st.property AS property, st.value AS value
  UNION
  // a thing said to exist: not by a claim that names it only to deny it
  MATCH (c:Claim)-[ab:ABOUT {judged: true}]->(n:Entity)
  WHERE EXISTS { MATCH (c)-[:STATES {judged: true}]->(n) }
     OR NOT EXISTS {
       MATCH (c)-[:STATES {property: 'position', value: 'denied'}]->(:Entity)-[on:ON]->(n) WHERE c.id IN on.claims
     }
  RETURN c, coalesce(ab.frame, n.iri) AS subject, 'type' AS property, ab.type AS value
}
WITH c, subject, property, value
WHERE c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
  AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
// a derivation holds at $as_of: declared with its source, or judged by then and not yet undone
MATCH (c)-[:FROM]->(:Source)-[links:DERIVED_FROM*0..]->(root)
WHERE all(d IN links WHERE coalesce(d.from_seq, 0) <= $as_of AND coalesce(d.until_seq, $as_of + 1) > $as_of)
  AND NOT EXISTS { MATCH (root)-[u:DERIVED_FROM]->() WHERE coalesce(u.from_seq, 0) <= $as_of AND coalesce(u.until_seq, $as_of + 1) > $as_of }
WITH subject, property, value, coalesce(c.key, 'claim/' + left(c.id, 12)) AS key, root
ORDER BY key
WITH subject, property, value, collect(DISTINCT key) AS keys, count(DISTINCT root) AS roots,
     min(coalesce(root.title, substring(root.iri, size('https://w3id.org/accords/id/')))) AS source
WHERE roots = 1
RETURN subject, property, value, reduce(out = head(keys), k IN tail(keys) | out + ' ' + k) AS claims, source
ORDER BY subject, property, value
