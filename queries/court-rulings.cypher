// title: Court rulings
// description: Court rulings in date order as each believed claim states them - the court, the case, what it decided and what it did to transfers (halted, paused, conditioned, allowed, unaffected), what it was about - with its source. A row quotes only the claim that states its values.
// A claim is believed on the clocks ($as_of, $known_by, $valid_at) when in view, affirmed, and not yet
// retracted or corrected; each value is one this claim states (its id among the relationship's claims).
MATCH (c:Claim)-[:ABOUT {type: 'CourtRuling'}]->(ruling:Entity)
WHERE c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
  AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
OPTIONAL MATCH (c)-[date:STATES {property: 'date'}]->(ruling)
OPTIONAL MATCH (c)-[court:STATES {property: 'courtName'}]->(ruling)
OPTIONAL MATCH (c)-[kase:STATES {property: 'case'}]->(ruling)
OPTIONAL MATCH (c)-[effect:STATES {property: 'effectOnTransfers'}]->(ruling)
OPTIONAL MATCH (c)-[outcome:STATES {property: 'outcome'}]->(ruling)
OPTIONAL MATCH (ruling)-[r:ON]->(about:Entity) WHERE c.id IN r.claims
MATCH (c)-[:FROM]->(src:Source)
RETURN DISTINCT date.value AS date, ruling.iri AS ruling, court.value AS court, kase.value AS case, effect.value AS effect,
       outcome.value AS outcome, about.iri AS about, c.iri AS claim, src.title AS source
ORDER BY date, ruling, claim
