// Embedding write-back: stores one batch of video vectors on :Video.embedding (float32,
// through db.create.setNodeVectorProperty) and tags them with the run that made them.
// changedAt tells the API's read models to reload the vector; a trained vector is not a
// folded-in one (graph.embed.foldin marks those after writing). Idempotent: a retried batch writes the same values again.
// Returns: written (int: nodes found and updated).
// Parameters: $rows (list of {id: string (Video.id), vector: list of floats});
// $runId (string: the EmbeddingRun id).
// Used by: graph.embed.store (fyp embed, fyp embed --fold-in).
UNWIND $rows AS row
MATCH (n:Video {id: row.id})
CALL db.create.setNodeVectorProperty(n, 'embedding', row.vector)
SET n.embeddingRun = $runId, n.changedAt = timestamp()
REMOVE n.embeddingFolded
RETURN count(n) AS written
