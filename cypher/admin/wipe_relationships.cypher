// Deletes one batch of relationships; call until it returns 0.
// Returns: deleted (int). Parameters: $batch (int, relationships per transaction).
// Used by: graph.schema.wipe, before admin/wipe, so that no node batch drags along an
// unbounded number of relationships (a heavy KuaiRand viewer has thousands) and the
// transaction stays inside the server's transaction memory limit.
MATCH ()-[r]->()
WITH r LIMIT $batch
DELETE r
RETURN count(*) AS deleted
