// title: States asked but not (yet) agreed
// description: States that were asked to take deportees, that a sending state is considering as a destination, or that resist, refuse or deny, with no believed agreement with that sending state; with how they stand and the claims behind it.
// A claim is believed on the clocks ($as_of, $known_by, $valid_at) when in view, affirmed, and not yet
// retracted or corrected. Each branch reads one claim's statement: its relationships list that claim.
CALL () {
  MATCH (c:Claim)-[:ABOUT {type: 'Request'}]->(request:Entity)-[r1:REQUESTER]->(asker:Entity)
  MATCH (request)-[r2:REQUESTED]->(state:Entity)
  WHERE c.id IN r1.claims AND c.id IN r2.claims
  RETURN c, asker, state, 'requested' AS how, null AS position
  UNION
  MATCH (c:Claim)-[:ABOUT {type: 'Stance'}]->(stance:Entity)-[r1:STATE]->(asker:Entity)
  MATCH (stance)-[r2:TOWARD]->(state:Entity)
  MATCH (c)-[:STATES {property: 'position', value: 'considering'}]->(stance)
  WHERE c.id IN r1.claims AND c.id IN r2.claims
  RETURN c, asker, state, 'considered as a destination' AS how, null AS position
  UNION
  MATCH (c:Claim)-[:ABOUT {type: 'Stance'}]->(stance:Entity)-[r1:STATE]->(state:Entity)
  MATCH (stance)-[r2:TOWARD]->(asker:Entity)
  MATCH (c)-[p:STATES {property: 'position'}]->(stance)
  WHERE c.id IN r1.claims AND c.id IN r2.claims AND p.value IN ['resisting', 'refused', 'denied']
  RETURN c, asker, state, 'took a position' AS how, p.value AS position
}
WITH c, asker, state, how, position
WHERE c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
  AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
  AND NOT EXISTS {
    MATCH (agreed:Claim)-[:ABOUT {type: 'Agreement'}]->(agreement:Entity)-[p1:PARTY]->(state)
    MATCH (agreement)-[p2:PARTY]->(asker)
    WHERE agreed.id IN p1.claims AND agreed.id IN p2.claims
      AND agreed.seq <= $as_of
        AND ($known_by IS NULL OR agreed.published_latest <= $known_by)
        AND ($valid_at IS NULL OR (coalesce(agreed.valid_from <= $valid_at, true) AND coalesce(agreed.valid_until >= $valid_at, true)))
        AND agreed.polarity = 'affirmed' AND coalesce(agreed.retracted_seq, $as_of + 1) > $as_of
  }
RETURN DISTINCT state.iri AS state, state.label AS name, asker.label AS asked_by, how, position,
       c.iri AS claim, c.quote AS quote
ORDER BY name, claim
