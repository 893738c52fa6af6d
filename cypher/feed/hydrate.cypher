// One batched fetch of everything the filters and the scorer need about the candidate
// videos: the video, its creator, sound and hashtags, counters, and the relationships
// of the viewer to each. What the viewer follows or is not interested in is read once
// from the viewer (a short list) rather than checked against every popular hashtag.
// Missing video ids return no row (the unavailable filter drops them).
// Returns per video: videoId, status, caption, createdAt, durationMs, creatorId,
// creatorName, soundId, soundTitle, views, completes, likes, shares, skips, impressions,
// hashtags (names), mutedHashtags (those the viewer is not interested in), toVideo
// (types of the relationships from the viewer to the video: SERVED, VIEWED, SKIPPED,
// LIKED, NOT_INTERESTED), followsCreator, mutedCreator, mutedSound (booleans),
// creatorAuthenticity (the stored score in [0, 1] of `fyp creators authenticity --store`,
// null when never assessed),
// similarity (cosine of $userVector and the video embedding, null when either is
// missing).
// Parameters: $userId (string); $videoIds (list of strings); $userVector (list of
// floats or null).
// Used by: graph.feed.engine (hydrate stage, once per request).
MATCH (u:User {id: $userId})
WITH u,
     COLLECT { MATCH (u)-[:NOT_INTERESTED]->(h:Hashtag) RETURN h.name } AS mutedTags,
     COLLECT { MATCH (u)-[:NOT_INTERESTED]->(s:Sound) RETURN s.id } AS mutedSounds,
     COLLECT { MATCH (u)-[:NOT_INTERESTED]->(c:User) RETURN c.id } AS mutedCreators,
     COLLECT { MATCH (u)-[:FOLLOWS]->(c:User) RETURN c.id } AS followed
UNWIND $videoIds AS videoId
MATCH (v:Video {id: videoId})
OPTIONAL MATCH (c:User)-[:POSTED]->(v)
OPTIONAL MATCH (v)-[:USES_SOUND]->(s:Sound)
WITH u, v, c, s, mutedTags, mutedSounds, mutedCreators, followed,
     COLLECT { MATCH (v)-[:TAGGED]->(h:Hashtag) RETURN h.name } AS hashtags
RETURN v.id AS videoId, v.status AS status, v.caption AS caption,
       v.createdAt AS createdAt, v.durationMs AS durationMs,
       c.id AS creatorId, c.name AS creatorName, c.authenticity AS creatorAuthenticity,
       s.id AS soundId, s.title AS soundTitle,
       coalesce(v.views, 0) AS views, coalesce(v.completes, 0) AS completes,
       coalesce(v.likes, 0) AS likes, coalesce(v.shares, 0) AS shares,
       coalesce(v.skips, 0) AS skips, coalesce(v.impressions, 0) AS impressions,
       hashtags, [tag IN hashtags WHERE tag IN mutedTags] AS mutedHashtags,
       [(u)-[r:SERVED|VIEWED|SKIPPED|LIKED|NOT_INTERESTED]->(v) | type(r)] AS toVideo,
       coalesce(c.id IN followed, false) AS followsCreator,
       coalesce(c.id IN mutedCreators, false) AS mutedCreator,
       coalesce(s.id IN mutedSounds, false) AS mutedSound,
       CASE WHEN $userVector IS NULL OR v.embedding IS NULL
              OR size(v.embedding) <> size($userVector) THEN null
            ELSE vector.similarity.cosine($userVector, v.embedding) END AS similarity
