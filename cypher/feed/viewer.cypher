// Everything a feed request needs to know about its viewer, in one indexed read: who they
// are and their settings, their newest interactions, every video they already saw (not
// to be shown again), what they muted, whom they follow, their precomputed personal
// list, and what the people they follow liked lately. The catalogue (each video's
// creator, sound, hashtags, counters) comes from the API process's read model, not
// from here. With $personal false, or when the viewer turned personalisation off
// (`personalized: false`), nothing is read that would profile them: no history, no
// personal list, no follows' likes; what they saw and muted still is (explicit choices).
// Returns one row (none for an unknown user): userId, name, embedding, personalized,
// keywordFilters, interests (the stored settings), followingCount, following (creator
// ids, most recently followed first), recent (map of parallel lists, newest first:
// videoIds, at, completion, kinds (relationship types), views, watchMs), seen (video ids viewed,
// served, skipped or liked), mutedVideos, mutedCreators, mutedHashtags, mutedSounds,
// recommended (video ids by rank), recommendedAt (computedAt of that list, or null),
// recommendedValid (bool: some engagement is older than the list, so it still belongs
// to this history), socialLikes (list of maps: videoId, likerId, likerName, at).
// Parameters: $userId (string); $personal (bool: the mode profiles the viewer);
// $recentLimit (int, interactions read, newest first); $seenLimit (int, most seen ids
// read); $followLimit (int, followed creators read); $recommendedLimit (int);
// $socialFollowees (int, most recently followed people whose likes are read);
// $socialPerFollowee (int, their newest likes); $now (epoch ms: likes after it are
// ignored).
// Used by: graph.feed.viewer (the one viewer read of every feed request).
MATCH (u:User {id: $userId})
WITH u, $personal AND coalesce(u.personalized, true) AS profiled
CALL (u, profiled) {
  WITH u WHERE profiled
  MATCH (u)-[r:VIEWED|LIKED|SHARED|SKIPPED]->(v:Video)
  WITH v, r, coalesce(r.lastAt, r.at, 0) AS at
  ORDER BY at DESC
  LIMIT $recentLimit
  WITH v, max(at) AS at, collect(type(r)) AS kinds, max(r.completion) AS completion,
       sum(CASE WHEN type(r) = 'VIEWED' THEN coalesce(r.count, 1) ELSE 0 END) AS views,
       max(r.watchMs) AS watchMs
  ORDER BY at DESC
  // Parallel lists rather than one map per interaction: the same rows, far cheaper for
  // the driver to decode on every request.
  RETURN {videoIds: collect(v.id), at: collect(at), completion: collect(coalesce(completion, 0.0)),
          kinds: collect(kinds), views: collect(views), watchMs: collect(coalesce(watchMs, 0))}
         AS recent
}
CALL (u) {
  MATCH (u)-[:VIEWED|SERVED|SKIPPED|LIKED]->(v:Video)
  WITH DISTINCT v
  LIMIT $seenLimit
  RETURN collect(v.id) AS seen
}
CALL (u) {
  MATCH (u)-[f:FOLLOWS]->(c:User)
  WITH c, f
  ORDER BY coalesce(f.at, 0) DESC
  LIMIT $followLimit
  RETURN collect(c.id) AS following
}
CALL (u, profiled) {
  WITH u WHERE profiled
  MATCH (u)-[r:RECOMMENDED]->(v:Video)
  WITH r, v
  ORDER BY r.rank
  LIMIT $recommendedLimit
  RETURN collect(v.id) AS recommended, max(r.computedAt) AS recommendedAt
}
CALL (u, profiled) {
  WITH u WHERE profiled
  MATCH (u)-[f:FOLLOWS]->(friend:User)
  WITH friend
  ORDER BY coalesce(f.at, 0) DESC
  LIMIT $socialFollowees
  CALL (friend) {
    MATCH (friend)-[l:LIKED]->(v:Video)
    WHERE coalesce(l.at, 0) <= $now
    WITH v, l
    ORDER BY l.at DESC
    LIMIT $socialPerFollowee
    RETURN v, l.at AS likedAt
  }
  RETURN collect({videoId: v.id, likerId: friend.id, likerName: friend.name, at: likedAt})
         AS socialLikes
}
RETURN u.id AS userId, u.name AS name, u.embedding AS embedding,
       coalesce(u.personalized, true) AS personalized, u.keywordFilters AS keywordFilters,
       u.interests AS interests,
       COUNT { (u)-[:FOLLOWS]->() } AS followingCount, following, recent, seen,
       COLLECT { MATCH (u)-[:NOT_INTERESTED]->(x:Video) RETURN x.id } AS mutedVideos,
       COLLECT { MATCH (u)-[:NOT_INTERESTED]->(x:User) RETURN x.id } AS mutedCreators,
       COLLECT { MATCH (u)-[:NOT_INTERESTED]->(x:Hashtag) RETURN x.name } AS mutedHashtags,
       COLLECT { MATCH (u)-[:NOT_INTERESTED]->(x:Sound) RETURN x.id } AS mutedSounds,
       recommended, recommendedAt,
       recommendedAt IS NOT NULL AND EXISTS {
         MATCH (u)-[e:VIEWED|LIKED]->(:Video)
         WHERE coalesce(e.firstAt, e.at, e.lastAt, 0) <= recommendedAt
       } AS recommendedValid,
       socialLikes
