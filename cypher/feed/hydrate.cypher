// One batched fetch of everything the filters and the scorer need about the candidate
// videos: the video, its creator, sound and hashtags, counters, and the own
// relationships to each (served, watched, skipped, liked, not interested, follows creator).
// Missing video ids return no row (the unavailable filter drops them).
// Returns per video: videoId, status, caption, createdAt, durationMs, creatorId,
// creatorName, soundId, soundTitle, hashtags, views, completes, likes, shares, skips,
// impressions, served, viewed, skipped, liked, notInterestedVideo, notInterestedCreator,
// notInterestedSound, notInterestedHashtags, followsCreator, similarity (cosine of
// $userVector and the video embedding, null when either is missing).
// Parameters: $userId (string); $videoIds (list of strings); $userVector (list of
// floats or null).
// Used by: graph.feed.engine (hydrate stage, once per request).
MATCH (u:User {id: $userId})
UNWIND $videoIds AS videoId
MATCH (v:Video {id: videoId})
OPTIONAL MATCH (c:User)-[:POSTED]->(v)
OPTIONAL MATCH (v)-[:USES_SOUND]->(s:Sound)
RETURN v.id AS videoId, v.status AS status, v.caption AS caption,
       v.createdAt AS createdAt, v.durationMs AS durationMs,
       c.id AS creatorId, c.name AS creatorName, s.id AS soundId, s.title AS soundTitle,
       COLLECT { MATCH (v)-[:TAGGED]->(h:Hashtag) RETURN h.name } AS hashtags,
       coalesce(v.views, 0) AS views, coalesce(v.completes, 0) AS completes,
       coalesce(v.likes, 0) AS likes, coalesce(v.shares, 0) AS shares,
       coalesce(v.skips, 0) AS skips, coalesce(v.impressions, 0) AS impressions,
       EXISTS { (u)-[:SERVED]->(v) } AS served,
       EXISTS { (u)-[:VIEWED]->(v) } AS viewed,
       EXISTS { (u)-[:SKIPPED]->(v) } AS skipped,
       EXISTS { (u)-[:LIKED]->(v) } AS liked,
       EXISTS { (u)-[:NOT_INTERESTED]->(v) } AS notInterestedVideo,
       c IS NOT NULL AND EXISTS { (u)-[:NOT_INTERESTED]->(c) } AS notInterestedCreator,
       s IS NOT NULL AND EXISTS { (u)-[:NOT_INTERESTED]->(s) } AS notInterestedSound,
       COLLECT { MATCH (v)-[:TAGGED]->(h:Hashtag)<-[:NOT_INTERESTED]-(u) RETURN h.name }
         AS notInterestedHashtags,
       c IS NOT NULL AND EXISTS { (u)-[:FOLLOWS]->(c) } AS followsCreator,
       CASE WHEN $userVector IS NULL OR v.embedding IS NULL
              OR size(v.embedding) <> size($userVector) THEN null
            ELSE vector.similarity.cosine($userVector, v.embedding) END AS similarity
