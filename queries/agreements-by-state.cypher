// title: Agreements of a state
// description: Every agreement a state is party to as each believed claim states it - the other party, the status and the legal form that claim gives - with its source. A row quotes only the claim that states its values.
// param state: iri = state/RW -- the state: state/PE, or a code or name (PE, Peru)
// A claim is believed on the clocks ($as_of, $known_by, $valid_at) when in view, affirmed, and not yet
// retracted or corrected; each value is one this claim states (its id among the relationship's claims).
MATCH (c:Claim)-[:ABOUT {type: 'Agreement'}]->(a:Entity)-[p:PARTY]->(s:Entity {iri: $state})
WHERE c.id IN p.claims
  AND c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
  AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
OPTIONAL MATCH (a)-[q:PARTY]->(o:Entity) WHERE o <> s AND c.id IN q.claims
OPTIONAL MATCH (c)-[st:STATES {property: 'status'}]->(a)
OPTIONAL MATCH (c)-[sf:STATES {property: 'legalForm'}]->(a)
MATCH (c)-[:FROM]->(src:Source)
RETURN DISTINCT s.iri AS state, a.iri AS agreement, coalesce(o.label, o.iri) AS other,
       st.value AS status, sf.value AS legal_form, c.iri AS claim, src.title AS source, src.publisher AS publisher
ORDER BY agreement, other, claim
