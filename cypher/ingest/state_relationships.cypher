// Every relationship with its type, end points (id or hashtag name) and properties:
// a fingerprint of the graph to compare before and after a re-import.
// Returns: type, start, end, properties (map).
// Parameters: none. Used by: tests/integration/test_ingest_*.py (idempotency checks).
MATCH (a)-[r]->(b)
RETURN type(r) AS type, coalesce(a.id, a.name) AS start, coalesce(b.id, b.name) AS end,
       properties(r) AS properties
