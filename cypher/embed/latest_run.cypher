// The most recent completed embedding run.
// Returns: at most one row: run (map of every property of the :EmbeddingRun node).
// Parameters: none.
// Used by: graph.embed.runs.latest_run (fold-in, fyp embed --fold-in, the feed).
MATCH (r:EmbeddingRun)
WHERE r.status = 'complete'
RETURN r {.*} AS run
ORDER BY r.finishedAt DESC, r.id DESC
LIMIT 1
