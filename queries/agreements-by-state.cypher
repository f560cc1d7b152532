// title: Agreements of a state
// description: Every agreement a state is party to, with the other party, its status and legal form as claimed, and the active claims and sources behind it.
// param state: iri = state/RW -- the state: state/PE, or a code or name (PE, Peru)
// A claim is believed on the clocks ($as_of, $known_by, $valid_at) when in view, affirmed, and not yet
// retracted or corrected; a relationship when one of the claims stating it (its claims) is.
MATCH (c:Claim)-[:ABOUT {type: 'Agreement'}]->(a:Entity)-[p:PARTY]->(s:Entity {iri: $state})
WHERE c.id IN p.claims
  AND c.seq <= $as_of
    AND ($known_by IS NULL OR c.published_latest <= $known_by)
    AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
    AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
MATCH (a)-[q:PARTY]->(o:Entity)
WHERE o <> s AND EXISTS { MATCH (by_q:Claim) WHERE by_q.id IN q.claims
    AND by_q.seq <= $as_of
    AND ($known_by IS NULL OR by_q.published_latest <= $known_by)
    AND ($valid_at IS NULL OR (coalesce(by_q.valid_from <= $valid_at, true) AND coalesce(by_q.valid_until >= $valid_at, true)))
    AND by_q.polarity = 'affirmed' AND coalesce(by_q.retracted_seq, $as_of + 1) > $as_of }
OPTIONAL MATCH (sc:Claim)-[st:STATES {property: 'status'}]->(a)
  WHERE sc.seq <= $as_of
    AND ($known_by IS NULL OR sc.published_latest <= $known_by)
    AND ($valid_at IS NULL OR (coalesce(sc.valid_from <= $valid_at, true) AND coalesce(sc.valid_until >= $valid_at, true)))
    AND sc.polarity = 'affirmed' AND coalesce(sc.retracted_seq, $as_of + 1) > $as_of
OPTIONAL MATCH (fc:Claim)-[sf:STATES {property: 'legalForm'}]->(a)
  WHERE fc.seq <= $as_of
    AND ($known_by IS NULL OR fc.published_latest <= $known_by)
    AND ($valid_at IS NULL OR (coalesce(fc.valid_from <= $valid_at, true) AND coalesce(fc.valid_until >= $valid_at, true)))
    AND fc.polarity = 'affirmed' AND coalesce(fc.retracted_seq, $as_of + 1) > $as_of
MATCH (c)-[:FROM]->(src:Source)
RETURN DISTINCT s.iri AS state, a.iri AS agreement, coalesce(o.label, o.iri) AS other,
       st.value AS status, sf.value AS legal_form, c.iri AS claim, src.title AS source, src.publisher AS publisher
ORDER BY agreement, other, claim
