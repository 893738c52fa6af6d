// Whether a vector index exists and is online (the embedding source is skipped if not).
// Returns: name, state, dimensions (one row, or none when there is no such index).
// Parameters: $indexName (string).
// Used by: graph.feed.sources (embedding source).
SHOW VECTOR INDEXES YIELD name, state, options
WHERE name = $indexName
RETURN name, state, options.indexConfig.`vector.dimensions` AS dimensions
