// title: Contradictions
// description: One row per disagreement, as the judgement (the SPARQL form) found them at the seq the graph reflects: accords project neo4j writes each as a (:Disagreement) node. It reads no clock: for another point of the clocks, ask the SPARQL form.
MATCH (d:Disagreement)
RETURN d.subject AS subject, d.property AS property, d.kind AS kind, d.sides AS sides, d.claims AS claims
ORDER BY subject, property, kind
