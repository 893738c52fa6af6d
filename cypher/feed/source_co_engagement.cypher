// Candidate source co_engagement: what viewers who finished or liked the seed videos
// of the viewer also finished. Fan-out is bounded at each hop ($peersPerSeed newest
// peers per seed, $videosPerPeer newest completes per peer); each path counts
// 1 / log2(2 + views of the peer), so heavy viewers do not drown everyone else.
// Returns: videoId, score (sum of path weights), reason (map: peers (count), seeds
// (list of maps: id, caption; the seeds that led here, up to 3)).
// Parameters: $userId (string); $seedIds (list of video ids the viewer finished or
// liked, newest first); $completeRatio (float, watch ratio that counts as finished);
// $peersPerSeed (int); $videosPerPeer (int); $now (epoch ms); $limit (int).
// Used by: graph.feed.sources (mode FOR_YOU).
MATCH (u:User {id: $userId})
UNWIND $seedIds AS seedId
MATCH (seed:Video {id: seedId})
CALL (u, seed) {
  MATCH (seed)<-[r:VIEWED|LIKED]-(peer:User)
  WHERE peer <> u AND (type(r) = 'LIKED' OR r.completion >= $completeRatio)
  WITH peer, max(coalesce(r.lastAt, r.at, 0)) AS at
  ORDER BY at DESC
  LIMIT $peersPerSeed
  RETURN peer
}
CALL (peer, seed) {
  MATCH (peer)-[w:VIEWED]->(v:Video)
  WHERE w.completion >= $completeRatio AND v <> seed AND v.createdAt <= $now
  WITH v, w
  ORDER BY w.lastAt DESC
  LIMIT $videosPerPeer
  RETURN v
}
WITH u, v, seed, peer, 1.0 / log(2.0 + COUNT { (peer)-[:VIEWED]->() }) * log(2.0) AS weight
WITH u, v, sum(weight) AS score, count(DISTINCT peer) AS peers,
     collect(DISTINCT {id: seed.id, caption: seed.caption}) AS seeds
WHERE NOT EXISTS { (u)-[:VIEWED|SERVED|SKIPPED|LIKED]->(v) }
RETURN v.id AS videoId, score, {peers: peers, seeds: seeds[..3]} AS reason
ORDER BY score DESC, videoId
LIMIT $limit
