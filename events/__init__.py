"""The write side: events, canonical JSON and hashing, the append-only log and its integrity."""
