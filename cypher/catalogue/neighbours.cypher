// The precomputed co-engagement neighbours (CO_ENGAGED, `fyp precompute`) of some
// videos, best first, for the read model.
// Returns one row: videos (list of maps: videoId, neighbours (list of [id, score,
// viewers], by rank)); videos without neighbours are left out.
// Parameters: $ids (list of video ids).
// Used by: graph.feed.catalogue.sync (after each precompute run).
UNWIND $ids AS id
MATCH (v:Video {id: id})-[c:CO_ENGAGED]->(n:Video)
WITH v, c, n
ORDER BY c.rank
WITH v, collect([n.id, c.score, c.viewers]) AS neighbours
RETURN collect({videoId: v.id, neighbours: neighbours}) AS videos
