// title: Transfers to a state with no agreement in force that day
// description: Believed transfers whose destination had no believed agreement with the sending state in force on the transfer's date (in force for certain by the transfer's earliest day: the latest day its entry into force may be, and not terminated or suspended before it) - an investigative lead, not an error. Stricter than validate's TransferAgreementShape warning, which spares a transfer any agreement whose dates may cover it.
// A claim is believed on the clocks ($as_of, $known_by, $valid_at) when in view, affirmed, and not yet
// retracted or corrected. Dates compare by their bounds: the transfer's earliest day, the agreement's
// latest day of entry into force, the earliest day it ended.
MATCH (c:Claim)-[:ABOUT {type: 'Transfer'}]->(transfer:Entity)-[r1:FROM]->(from:Entity)
MATCH (transfer)-[r2:TO]->(to:Entity)
MATCH (c)-[d:STATES {property: 'dateEarliest'}]->(transfer)
WHERE c.id IN r1.claims AND c.id IN r2.claims
  AND c.seq <= $as_of
    AND ($known_by IS NULL OR c.published_latest <= $known_by)
    AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
    AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
WITH c, transfer, from, to, d.value AS day
WHERE NOT EXISTS {
  MATCH (agreed:Claim)-[:ABOUT {type: 'Agreement'}]->(agreement:Entity)-[p1:PARTY]->(from)
  MATCH (agreement)-[p2:PARTY]->(to)
  MATCH (agreed)-[f:STATES {property: 'inForceDateLatest'}]->(agreement)
  WHERE agreed.id IN p1.claims AND agreed.id IN p2.claims AND f.value <= day
    AND agreed.seq <= $as_of
      AND ($known_by IS NULL OR agreed.published_latest <= $known_by)
      AND ($valid_at IS NULL OR (coalesce(agreed.valid_from <= $valid_at, true) AND coalesce(agreed.valid_until >= $valid_at, true)))
      AND agreed.polarity = 'affirmed' AND coalesce(agreed.retracted_seq, $as_of + 1) > $as_of
    AND NOT EXISTS {
      MATCH (ended:Claim)-[x:STATES]->(agreement)
      WHERE x.property IN ['terminatedDateEarliest', 'suspendedDateEarliest'] AND x.value <= day
        AND ended.seq <= $as_of
          AND ($known_by IS NULL OR ended.published_latest <= $known_by)
          AND ($valid_at IS NULL OR (coalesce(ended.valid_from <= $valid_at, true) AND coalesce(ended.valid_until >= $valid_at, true)))
          AND ended.polarity = 'affirmed' AND coalesce(ended.retracted_seq, $as_of + 1) > $as_of
    }
}
OPTIONAL MATCH (c)-[date:STATES {property: 'date'}]->(transfer)
OPTIONAL MATCH (c)-[people:STATES {property: 'people'}]->(transfer)
WITH DISTINCT transfer, from, to, date.value AS date, people.value AS people, c, day
RETURN transfer.iri AS transfer, coalesce(from.label, from.iri) AS from, coalesce(to.label, to.iri) AS to,
       date, people, c.iri AS claim, c.quote AS quote
ORDER BY day, transfer
