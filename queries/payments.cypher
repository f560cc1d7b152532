// title: Payments
// description: Payments as each believed claim states them - who paid whom, how much, in what currency, in what kind (cash, grant, visa or tariff relief...), for what - with its source. A row quotes only the claim that states its values.
// A claim is believed on the clocks ($as_of, $known_by, $valid_at) when in view, affirmed, and not yet
// retracted or corrected; each value is one this claim states (its id among the relationship's claims).
MATCH (c:Claim)-[:ABOUT {type: 'Payment'}]->(pay:Entity)
WHERE c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
  AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
OPTIONAL MATCH (pay)-[r1:PAYER]->(payer:Entity) WHERE c.id IN r1.claims
OPTIONAL MATCH (pay)-[r2:PAYEE]->(payee:Entity) WHERE c.id IN r2.claims
OPTIONAL MATCH (c)-[amount:STATES {property: 'amount'}]->(pay)
OPTIONAL MATCH (c)-[currency:STATES {property: 'currency'}]->(pay)
OPTIONAL MATCH (c)-[consideration:STATES {property: 'consideration'}]->(pay)
OPTIONAL MATCH (c)-[purpose:STATES {property: 'purpose'}]->(pay)
MATCH (c)-[:FROM]->(src:Source)
RETURN DISTINCT pay.iri AS payment, coalesce(payer.label, payer.iri) AS payer, coalesce(payee.label, payee.iri) AS payee,
       amount.value AS amount, currency.value AS currency, consideration.value AS consideration, purpose.value AS purpose,
       c.iri AS claim, src.title AS source
ORDER BY payer, payee, claim
