// Creates the cosine vector index video_embedding over :Video.embedding if it does not exist
// (a changed dimension is handled by dropping it first, see graph.embed.store).
// Returns: nothing. Parameters: $dimensions (int: vector length of the current run).
// Used by: graph.embed.store (fyp embed); queried by db.index.vector.queryNodes.
CREATE VECTOR INDEX video_embedding IF NOT EXISTS
FOR (n:Video) ON n.embedding
OPTIONS {indexConfig: {`vector.dimensions`: $dimensions, `vector.similarity_function`: 'cosine'}}
