// Blocks until the named index is online (or the timeout passes, which raises).
// Returns: nothing. Parameters: $indexName (string); $timeoutSeconds (int).
// Used by: graph.embed.store (fyp embed), after creating a vector index.
CALL db.awaitIndex($indexName, $timeoutSeconds)
