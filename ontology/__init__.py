"""The accords vocabulary, JSON-LD context, SHACL shapes and their loaders."""
