"""Reference implementations the tests hold accords' own to: rdflib's JSON-LD reader and pyshacl."""
