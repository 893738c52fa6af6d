// Blocks until every index is online (or the timeout passes).
// Returns: nothing. Parameters: $timeoutSeconds (int).
// Used by: graph.schema.init_schema, after creating indexes.
CALL db.awaitIndexes($timeoutSeconds)
