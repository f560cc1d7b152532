// title: Contradictions
// description: Pairs of believed or denied claims with overlapping valid time that cannot both hold - a claim and its denial, different positions of one state toward another, different dates or head counts for the same transfer, an agreement with a state that refused - with both sides and their sources.
// A claim is in view on the clocks ($as_of, $known_by, $valid_at) and active until its first retraction
// or correction recorded by $as_of. Each branch reads each claim's own statement: the relationships
// it states list it in their claims.
CALL () {
  MATCH (a:Claim)-[va:STATES]->(subject:Entity)<-[vb:STATES]-(b:Claim)
  WHERE va.property IN ['date', 'people', 'status', 'signedDate', 'inForceDate'] AND vb.property = va.property
    AND va.value <> vb.value AND a.polarity = 'affirmed' AND b.polarity = 'affirmed'
  RETURN subject, 'different ' + va.property AS kind, a, toString(va.value) AS says_a, b, toString(vb.value) AS says_b
  UNION
  MATCH (a:Claim)-[:ABOUT {type: 'Stance'}]->(sa:Entity)-[ra:STATE]->(subject:Entity)
  MATCH (sa)-[ta:TOWARD]->(toward:Entity)
  MATCH (a)-[pa:STATES {property: 'position'}]->(sa)
  WHERE a.id IN ra.claims AND a.id IN ta.claims AND a.polarity = 'affirmed'
  MATCH (b:Claim)-[:ABOUT {type: 'Stance'}]->(sb:Entity)-[rb:STATE]->(subject)
  MATCH (sb)-[tb:TOWARD]->(toward)
  MATCH (b)-[pb:STATES {property: 'position'}]->(sb)
  WHERE b.id IN rb.claims AND b.id IN tb.claims AND b.polarity = 'affirmed' AND pa.value <> pb.value
    AND (pa.value IN ['refused', 'denied', 'resisting'] OR pb.value IN ['refused', 'denied', 'resisting'])
  RETURN subject, 'different positions' AS kind, a, pa.value AS says_a, b, pb.value AS says_b
  UNION
  MATCH (a:Claim)-[:ABOUT {type: 'Agreement'}]->(agreement:Entity)-[p1:PARTY]->(subject:Entity)
  MATCH (agreement)-[p2:PARTY]->(other:Entity)
  WHERE a.id IN p1.claims AND a.id IN p2.claims AND a.polarity = 'affirmed' AND subject <> other
  MATCH (b:Claim)-[:ABOUT {type: 'Stance'}]->(stance:Entity)-[r1:STATE]->(subject)
  MATCH (stance)-[r2:TOWARD]->(other)
  MATCH (b)-[pb:STATES {property: 'position'}]->(stance)
  WHERE b.id IN r1.claims AND b.id IN r2.claims AND b.polarity = 'affirmed' AND pb.value IN ['refused', 'denied']
  RETURN subject, 'agreement with a state that refused' AS kind, a, 'agreement' AS says_a, b, pb.value AS says_b
  UNION
  MATCH (a:Claim)-[va:STATES]->(subject:Entity)<-[vb:STATES]-(b:Claim)
  WHERE a.polarity = 'affirmed' AND b.polarity = 'denied' AND va.property = vb.property AND va.value = vb.value
  RETURN subject, 'affirmed and denied' AS kind, a, toString(va.value) AS says_a, b, 'not ' + toString(va.value) AS says_b
  UNION
  MATCH (subject:Entity)-[r]->(o:Entity)
  WHERE type(r) <> 'SAME_AS' AND size(r.claims) > 1
  UNWIND r.claims AS one
  UNWIND r.claims AS other
  MATCH (a:Claim {id: one, polarity: 'affirmed'}), (b:Claim {id: other, polarity: 'denied'})
  RETURN subject, 'affirmed and denied' AS kind, a, o.iri AS says_a, b, 'not ' + o.iri AS says_b
}
WITH subject, kind, a, says_a, b, says_b
WHERE (a.iri < b.iri OR kind IN ['affirmed and denied', 'agreement with a state that refused']) AND a <> b
  AND a.seq <= $as_of
    AND ($known_by IS NULL OR a.published_latest <= $known_by)
    AND ($valid_at IS NULL OR (coalesce(a.valid_from <= $valid_at, true) AND coalesce(a.valid_until >= $valid_at, true)))
  AND b.seq <= $as_of
    AND ($known_by IS NULL OR b.published_latest <= $known_by)
    AND ($valid_at IS NULL OR (coalesce(b.valid_from <= $valid_at, true) AND coalesce(b.valid_until >= $valid_at, true)))
  AND coalesce(a.retracted_seq, $as_of + 1) > $as_of AND coalesce(b.retracted_seq, $as_of + 1) > $as_of
  AND coalesce(a.valid_from <= b.valid_until, true) AND coalesce(b.valid_from <= a.valid_until, true)
MATCH (a)-[:FROM]->(source_a:Source), (b)-[:FROM]->(source_b:Source)
RETURN DISTINCT subject.iri AS subject, kind, a.iri AS claim_a, says_a, source_a.title AS source_a,
       b.iri AS claim_b, says_b, source_b.title AS source_b
ORDER BY kind, subject
