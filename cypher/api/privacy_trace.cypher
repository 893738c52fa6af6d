// Finds anything in the graph that still names a user: a node or relationship property
// equal to $userId, or a list property that contains it. A full scan: for tests and audits
// after an erasure, not for request paths.
// Returns: kind ('node' | 'relationship'), what (labels or type), property; at most 100 rows.
// Parameters: $userId. Used by: tests/api (deleteMyData), graph/privacy.py (trace_user).
CALL () {
  MATCH (n)
  UNWIND keys(n) AS property
  WITH n, property, n[property] AS value
  WHERE CASE WHEN valueType(value) STARTS WITH 'LIST' THEN $userId IN value
             ELSE value = $userId END
  RETURN 'node' AS kind, labels(n) AS what, property
  UNION ALL
  MATCH ()-[r]->()
  UNWIND keys(r) AS property
  WITH r, property, r[property] AS value
  WHERE CASE WHEN valueType(value) STARTS WITH 'LIST' THEN $userId IN value
             ELSE value = $userId END
  RETURN 'relationship' AS kind, [type(r)] AS what, property
}
RETURN kind, what, property
LIMIT 100
