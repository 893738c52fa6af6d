// Drops one index by name if it exists (a vector index whose dimension no longer fits).
// Returns: nothing. Parameters: $indexName (string).
// Used by: graph.embed.store (fyp embed).
DROP INDEX $indexName IF EXISTS
