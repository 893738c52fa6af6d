// Node counts by label and relationship counts by type, for summaries and checks.
// Returns: kind ('node' | 'relationship'), name, count.
// Parameters: none. Used by: `fyp db stats`, import summaries, tests.
CALL db.labels() YIELD label
CALL (label) {
  MATCH (n) WHERE label IN labels(n)
  RETURN count(n) AS count
}
RETURN 'node' AS kind, label AS name, count
UNION ALL
CALL db.relationshipTypes() YIELD relationshipType
CALL (relationshipType) {
  MATCH ()-[r]->() WHERE type(r) = relationshipType
  RETURN count(r) AS count
}
RETURN 'relationship' AS kind, relationshipType AS name, count
