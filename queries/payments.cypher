// title: Payments
// description: Payments believed on the record: who paid whom, how much, for what, and the claims and sources behind each.
// A claim is believed on the clocks ($as_of, $known_by, $valid_at) when in view, affirmed, and not yet
// retracted or corrected; a relationship when one of the claims stating it (its claims) is.
MATCH (c:Claim)-[:ABOUT {type: 'Payment'}]->(pay:Entity)
WHERE c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
  AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
MATCH (pay)-[r1:PAYER]->(payer:Entity)
WHERE EXISTS { MATCH (by_r1:Claim) WHERE by_r1.id IN r1.claims
    AND by_r1.seq <= $as_of
    AND ($known_by IS NULL OR by_r1.published_latest <= $known_by)
    AND ($valid_at IS NULL OR (coalesce(by_r1.valid_from <= $valid_at, true) AND coalesce(by_r1.valid_until >= $valid_at, true)))
    AND by_r1.polarity = 'affirmed' AND coalesce(by_r1.retracted_seq, $as_of + 1) > $as_of }
MATCH (pay)-[r2:PAYEE]->(payee:Entity)
WHERE EXISTS { MATCH (by_r2:Claim) WHERE by_r2.id IN r2.claims
    AND by_r2.seq <= $as_of
    AND ($known_by IS NULL OR by_r2.published_latest <= $known_by)
    AND ($valid_at IS NULL OR (coalesce(by_r2.valid_from <= $valid_at, true) AND coalesce(by_r2.valid_until >= $valid_at, true)))
    AND by_r2.polarity = 'affirmed' AND coalesce(by_r2.retracted_seq, $as_of + 1) > $as_of }
OPTIONAL MATCH (ac:Claim)-[amount:STATES {property: 'amount'}]->(pay)
  WHERE ac.seq <= $as_of
    AND ($known_by IS NULL OR ac.published_latest <= $known_by)
    AND ($valid_at IS NULL OR (coalesce(ac.valid_from <= $valid_at, true) AND coalesce(ac.valid_until >= $valid_at, true)))
    AND ac.polarity = 'affirmed' AND coalesce(ac.retracted_seq, $as_of + 1) > $as_of
OPTIONAL MATCH (cc:Claim)-[currency:STATES {property: 'currency'}]->(pay)
  WHERE cc.seq <= $as_of
    AND ($known_by IS NULL OR cc.published_latest <= $known_by)
    AND ($valid_at IS NULL OR (coalesce(cc.valid_from <= $valid_at, true) AND coalesce(cc.valid_until >= $valid_at, true)))
    AND cc.polarity = 'affirmed' AND coalesce(cc.retracted_seq, $as_of + 1) > $as_of
OPTIONAL MATCH (pc:Claim)-[purpose:STATES {property: 'purpose'}]->(pay)
  WHERE pc.seq <= $as_of
    AND ($known_by IS NULL OR pc.published_latest <= $known_by)
    AND ($valid_at IS NULL OR (coalesce(pc.valid_from <= $valid_at, true) AND coalesce(pc.valid_until >= $valid_at, true)))
    AND pc.polarity = 'affirmed' AND coalesce(pc.retracted_seq, $as_of + 1) > $as_of
MATCH (c)-[:FROM]->(src:Source)
RETURN DISTINCT pay.iri AS payment, coalesce(payer.label, payer.iri) AS payer, coalesce(payee.label, payee.iri) AS payee,
       amount.value AS amount, currency.value AS currency, purpose.value AS purpose, c.iri AS claim, src.title AS source
ORDER BY payer, payee, claim
