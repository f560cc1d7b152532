// title: Caps and quotas of a state
// description: How many people a state's agreements, requests and transfers cap, agree, propose or expect, as each believed claim states them - the role, the number in the source's words, its unit, its period (a cap of 50 per year is not one of 50 in total), who is counted - with its source. A row quotes only the claim that states its values.
// param state: iri = state/XK -- the state: state/XK, or a code or name (XK, Kosovo)
// A claim is believed on the clocks ($as_of, $known_by, $valid_at) when in view, affirmed, and not yet
// retracted or corrected; each value is one this claim states (its id among the relationship's claims).
MATCH (thing:Entity)-[link:PARTY|TO|REQUESTED]->(s:Entity {iri: $state})
MATCH (thing)-[quantity:QUANTITY]->(count:Entity)
MATCH (c:Claim)-[role:STATES {property: 'role'}]->(count)
WHERE c.id IN link.claims AND c.id IN quantity.claims
  AND role.value IN ['cap', 'agreed', 'proposed', 'expected']
  AND c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
  AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
MATCH (c)-[number:STATES {property: 'number'}]->(count)
OPTIONAL MATCH (c)-[unit:STATES {property: 'unit'}]->(count)
OPTIONAL MATCH (c)-[per:STATES {property: 'per'}]->(count)
OPTIONAL MATCH (c)-[of:STATES {property: 'of'}]->(count)
MATCH (c)-[:FROM]->(src:Source)
RETURN DISTINCT s.iri AS state, thing.iri AS thing, role.value AS role, number.value AS number, unit.value AS unit,
       per.value AS per, of.value AS of, c.iri AS claim, src.title AS source
ORDER BY thing, role, number, claim
