// Candidate source co_engagement: the precomputed co-engagement neighbours
// (CO_ENGAGED, written by `fyp precompute`) of the videos the viewer engaged with
// most recently. The walk starts from the viewer's live VIEWED / LIKED relationships,
// so a like or a view recorded a moment ago already counts; only the item-item
// weights come from the batch job. Each seed weighs log(1 + its strength) (views + 2
// for a long or complete view + 1 for a like: a video swiped away after a second says
// little), halved every $seedHalfLifeMs before the viewer's newest seed, times the
// neighbour's CO_ENGAGED score (an EASE or cosine weight), summed over seeds: the
// item-to-item recommender's score.
// Returns: videoId, score (sum over seeds), reason (map: peers (most viewers shared
// with one seed), seeds (list of maps: id, caption; the closest seeds, up to 3)).
// Parameters: $userId (string); $seedLimit (int, newest viewed or liked videos walked
// from); $completeRatio (float, watch ratio that counts as finished); $longViewMs (int,
// watch time that counts as a long view); $seedHalfLifeMs (int); $now (epoch ms);
// $limit (int).
// Used by: graph.feed.sources (mode FOR_YOU).
MATCH (u:User {id: $userId})
CALL (u) {
  MATCH (u)-[r:VIEWED|LIKED]->(seed:Video)
  WITH seed, max(coalesce(r.lastAt, r.at, 0)) AS at,
       sum(CASE type(r)
             WHEN 'LIKED' THEN 1.0
             ELSE coalesce(r.count, 1)
                  + CASE WHEN r.completion >= $completeRatio OR r.watchMs >= $longViewMs
                         THEN 2.0 ELSE 0.0 END
           END) AS strength
  ORDER BY at DESC
  LIMIT $seedLimit
  RETURN collect({seed: seed, at: at, strength: strength}) AS seeds
}
WITH u, seeds, reduce(newest = 0, s IN seeds | CASE WHEN s.at > newest THEN s.at ELSE newest END)
     AS newest
UNWIND seeds AS s
WITH u, s.seed AS seed,
     log(1.0 + s.strength) * 0.5 ^ (toFloat(newest - s.at) / $seedHalfLifeMs) AS weight
MATCH (seed)-[c:CO_ENGAGED]->(v:Video)
WITH u, v, seed, c, weight * c.score AS part
ORDER BY part DESC
WITH u, v, sum(part) AS score, max(c.viewers) AS peers, collect(seed)[..3] AS seeds
WHERE v.createdAt <= $now AND NOT EXISTS { (u)-[:VIEWED|SERVED|SKIPPED|LIKED]->(v) }
RETURN v.id AS videoId, score,
       {peers: peers, seeds: [s IN seeds | {id: s.id, caption: s.caption}]} AS reason
ORDER BY score DESC, videoId
LIMIT $limit
