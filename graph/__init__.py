"""Read side: projections of the log into RDF and Neo4j, time travel, trace."""
