"""The knowledge graph: vocabulary, SKOS schemes, RDF mapping, the store, dumps, queries, validation."""
