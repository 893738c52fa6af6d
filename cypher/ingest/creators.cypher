// Upserts creators (rows of the `creators` import file): a creator is a User with the
// Creator label; an existing user gains the label and a `videos` counter.
// Parameters: $rows (list of {id, name, createdAt}; ids unique within the list).
// changedAt (only when the row changes something) tells the API's read models to
// refresh the creator.
// Returns: created (int), how many rows were not creators before.
// Used by: graph.ingest (import_dir / import_records).
UNWIND $rows AS row
OPTIONAL MATCH (existing:Creator {id: row.id})
WITH row, existing IS NULL AS isNew,
     existing IS NULL OR coalesce(row.name <> existing.name, row.name IS NOT NULL)
     OR coalesce(row.createdAt <> existing.createdAt, row.createdAt IS NOT NULL) AS changed
MERGE (u:User {id: row.id})
  ON CREATE SET u.followers = 0, u.following = 0
SET u:Creator,
    u.videos = coalesce(u.videos, 0),
    u.name = coalesce(row.name, u.name),
    u.createdAt = coalesce(row.createdAt, u.createdAt),
    u.changedAt = CASE WHEN changed THEN timestamp() ELSE u.changedAt END
RETURN sum(CASE WHEN isNew THEN 1 ELSE 0 END) AS created
