// Deletes one batch of nodes (with their relationships); call until it returns 0.
// Returns: deleted (int). Parameters: $batch (int, nodes per transaction).
// Used by: graph.schema.wipe (tests and `fyp db wipe`).
MATCH (n)
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
