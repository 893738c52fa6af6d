// Embedding write-back: stores one batch of hashtag vectors on :Hashtag.embedding (float32,
// through db.create.setNodeVectorProperty) and tags them with the run that made them.
// Idempotent: a retried batch writes the same values again.
// Returns: written (int: nodes found and updated).
// Parameters: $rows (list of {id: string (Hashtag.name), vector: list of floats});
// $runId (string: the EmbeddingRun id).
// Used by: graph.embed.store (fyp embed, fyp embed --fold-in).
UNWIND $rows AS row
MATCH (n:Hashtag {name: row.id})
CALL db.create.setNodeVectorProperty(n, 'embedding', row.vector)
SET n.embeddingRun = $runId
RETURN count(n) AS written
