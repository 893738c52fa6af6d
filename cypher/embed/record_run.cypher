// Creates or updates the metadata node of one embedding run (dimensions, seed, p, q,
// walk settings, timings, status), so fold-in and the feed know the current space.
// Returns: id (string). Parameters: $runId (string); $properties (map of scalars).
// Used by: graph.embed.runs (fyp embed: at start with status running, at the end
// with status complete).
MERGE (r:EmbeddingRun {id: $runId})
SET r += $properties
RETURN r.id AS id
