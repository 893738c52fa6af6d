// The videos a viewer saw longest ago, for the endless feed's last widening step: when
// nothing they have not seen is left to serve, the feed re-serves what they saw least
// recently rather than ending. Seen = viewed, served, skipped or liked; each video's
// time is its latest such contact. Status and muting are checked in memory afterwards.
// Returns one row: videoIds (oldest contact first), at (epoch ms of each, same order).
// Parameters: $userId (string); $limit (int, most videos returned).
// Used by: graph.feed.widen (only when a page cannot be filled otherwise).
MATCH (:User {id: $userId})-[r:VIEWED|SERVED|SKIPPED|LIKED]->(v:Video)
WITH v, max(coalesce(r.lastAt, r.at, 0)) AS at
ORDER BY at ASC, v.id ASC
LIMIT $limit
RETURN collect(v.id) AS videoIds, collect(at) AS at
