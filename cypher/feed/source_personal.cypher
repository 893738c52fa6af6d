// Candidate source personal: the viewer's own precomputed top videos (RECOMMENDED, written
// by `fyp precompute`: the viewer's whole engagement history scored against every video
// with the item-item model, EASE). The list is as old as the last run, so what the viewer
// viewed, liked, skipped or was served since is dropped here, and a list is only used
// while the history it was computed from still exists: after "refresh your feed" (the
// engagements archived) or erasure, no engagement is older than the list, and the source
// proposes nothing until the next run.
// Returns: videoId, score (1 / log2(1 + rank): the list's order is what the model knows,
// its raw scores' scale depends on the data size and regularisation), reason (map: rank
// (1 = best), computedAt).
// Parameters: $userId (string); $now (epoch ms; videos posted later are not proposed);
// $limit (int).
// Used by: graph.feed.sources (mode FOR_YOU).
MATCH (u:User {id: $userId})
CALL (u) {
  MATCH (u)-[r:RECOMMENDED]->(:Video)
  RETURN max(r.computedAt) AS computedAt
}
WITH u, computedAt
WHERE computedAt IS NOT NULL
  AND EXISTS {
    MATCH (u)-[e:VIEWED|LIKED]->(:Video)
    WHERE coalesce(e.firstAt, e.at, e.lastAt, 0) <= computedAt
  }
MATCH (u)-[r:RECOMMENDED]->(v:Video)
WHERE v.createdAt <= $now AND NOT EXISTS { (u)-[:VIEWED|SERVED|SKIPPED|LIKED]->(v) }
RETURN v.id AS videoId, log(2.0) / log(1.0 + r.rank) AS score, {rank: r.rank, computedAt: r.computedAt} AS reason
ORDER BY r.rank, videoId
LIMIT $limit
