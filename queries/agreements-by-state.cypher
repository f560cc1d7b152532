// title: Agreements of a state
// description: Every agreement a state is party to, with the other party, its status and legal form as claimed, and the active claims and sources behind it.
// param state: iri = state/RW -- the state, as state/XX
// A claim is believed at $as_of when recorded by then, affirmed, and not yet retracted or corrected;
// a relationship when one of its claims is (its believed_from/believed_until intervals).
MATCH (c:Claim)-[:ABOUT {type: 'Agreement'}]->(a:Entity)-[p:PARTY]->(s:Entity {iri: $state})
WHERE c.id IN p.claims
  AND c.seq <= $as_of AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
MATCH (a)-[q:PARTY]->(o:Entity)
WHERE o <> s AND any(i IN range(0, size(q.believed_from) - 1)
                     WHERE q.believed_from[i] <= $as_of AND coalesce(q.believed_until[i], $as_of + 1) > $as_of)
OPTIONAL MATCH (sc:Claim)-[st:STATES {property: 'status'}]->(a)
  WHERE sc.seq <= $as_of AND sc.polarity = 'affirmed' AND coalesce(sc.retracted_seq, $as_of + 1) > $as_of
OPTIONAL MATCH (fc:Claim)-[sf:STATES {property: 'legalForm'}]->(a)
  WHERE fc.seq <= $as_of AND fc.polarity = 'affirmed' AND coalesce(fc.retracted_seq, $as_of + 1) > $as_of
MATCH (c)-[:FROM]->(src:Source)
RETURN DISTINCT s.iri AS state, a.iri AS agreement, coalesce(o.label, o.iri) AS other,
       st.value AS status, sf.value AS legal_form, c.iri AS claim, src.title AS source, src.publisher AS publisher
ORDER BY agreement, other, claim
