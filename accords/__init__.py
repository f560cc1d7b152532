"""accords: an event-sourced knowledge graph with a provenance audit trail."""
