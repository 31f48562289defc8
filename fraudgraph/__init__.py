"""fraudgraph's shared plumbing: settings, the Neo4j driver and server, schema, pseudonyms, CLI."""
