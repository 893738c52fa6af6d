// Removes vectors left by an earlier embedding run from nodes this run did not embed
// (each run is its own vector space, so old vectors would mislead). One batch per call;
// call until it returns 0. Vectors without an embeddingRun tag are not ours and stay.
// changedAt tells the API's read models to drop the vector.
// Returns: cleared (int). Parameters: $runId (string: the current run);
// $batchSize (int: nodes per call).
// Used by: graph.embed.store (fyp embed).
CALL () {
  MATCH (n:User) WHERE n.embeddingRun IS NOT NULL AND n.embeddingRun <> $runId RETURN n
  UNION
  MATCH (n:Video) WHERE n.embeddingRun IS NOT NULL AND n.embeddingRun <> $runId RETURN n
  UNION
  MATCH (n:Hashtag) WHERE n.embeddingRun IS NOT NULL AND n.embeddingRun <> $runId RETURN n
  UNION
  MATCH (n:Sound) WHERE n.embeddingRun IS NOT NULL AND n.embeddingRun <> $runId RETURN n
}
WITH n LIMIT $batchSize
REMOVE n.embedding, n.creatorEmbedding, n.embeddingRun
SET n.changedAt = timestamp()
RETURN count(n) AS cleared
