"""Named Cypher queries, shipped as package data; loaded by graph.cypher."""
