// title: Payments
// description: Payments believed on the record: who paid whom, how much, for what, and the claims and sources behind each.
MATCH (c:Claim)-[:ABOUT {type: 'Payment'}]->(pay:Entity)
WHERE c.seq <= $as_of AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
MATCH (pay)-[r1:PAYER]->(payer:Entity)
WHERE any(i IN range(0, size(r1.believed_from) - 1)
          WHERE r1.believed_from[i] <= $as_of AND coalesce(r1.believed_until[i], $as_of + 1) > $as_of)
MATCH (pay)-[r2:PAYEE]->(payee:Entity)
WHERE any(i IN range(0, size(r2.believed_from) - 1)
          WHERE r2.believed_from[i] <= $as_of AND coalesce(r2.believed_until[i], $as_of + 1) > $as_of)
OPTIONAL MATCH (ac:Claim)-[amount:STATES {property: 'amount'}]->(pay)
  WHERE ac.seq <= $as_of AND ac.polarity = 'affirmed' AND coalesce(ac.retracted_seq, $as_of + 1) > $as_of
OPTIONAL MATCH (cc:Claim)-[currency:STATES {property: 'currency'}]->(pay)
  WHERE cc.seq <= $as_of AND cc.polarity = 'affirmed' AND coalesce(cc.retracted_seq, $as_of + 1) > $as_of
OPTIONAL MATCH (pc:Claim)-[purpose:STATES {property: 'purpose'}]->(pay)
  WHERE pc.seq <= $as_of AND pc.polarity = 'affirmed' AND coalesce(pc.retracted_seq, $as_of + 1) > $as_of
MATCH (c)-[:FROM]->(src:Source)
RETURN DISTINCT pay.iri AS payment, coalesce(payer.label, payer.iri) AS payer, coalesce(payee.label, payee.iri) AS payee,
       amount.value AS amount, currency.value AS currency, purpose.value AS purpose, c.iri AS claim, src.title AS source
ORDER BY payer, payee, claim
