// Upserts users (rows of the `users` import file); absent name / createdAt keep what is stored.
// Parameters: $rows (list of {id, name, createdAt}; ids unique within the list).
// Returns: created (int), how many rows were new users (the rest were already present).
// Used by: graph.ingest (import_dir / import_records).
UNWIND $rows AS row
OPTIONAL MATCH (existing:User {id: row.id})
WITH row, existing IS NULL AS isNew
MERGE (u:User {id: row.id})
  ON CREATE SET u.followers = 0, u.following = 0
SET u.name = coalesce(row.name, u.name),
    u.createdAt = coalesce(row.createdAt, u.createdAt)
RETURN sum(CASE WHEN isNew THEN 1 ELSE 0 END) AS created
