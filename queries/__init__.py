"""Named SPARQL and Cypher queries, their runner and result formats."""
