// Videos whose embedding is nearest to that of a given video, through the video_embedding
// vector index; the video itself and removed videos are left out.
// Returns: one row: found (bool: the video exists), embedded (bool: it has a vector),
// hits (list of {id, score}, best first, at most $k).
// Parameters: $videoId (string); $k (int: hits wanted); $candidates (int: neighbours
// asked of the index, more than $k to make up for the ones filtered out).
// Used by: graph.embed.similar (similar_videos, similar_videos_async).
OPTIONAL MATCH (v:Video {id: $videoId})
CALL (v) {
  WITH v WHERE v.embedding IS NOT NULL
  CALL db.index.vector.queryNodes('video_embedding', $candidates, v.embedding)
    YIELD node, score
  WITH node, score
  WHERE node <> v AND coalesce(node.status, 'active') = 'active'
  WITH node, score ORDER BY score DESC, node.id ASC LIMIT $k
  RETURN collect({id: node.id, score: score}) AS hits
}
RETURN v IS NOT NULL AS found, v.embedding IS NOT NULL AS embedded, hits
