// Influencer discovery: creators in a niche, filtered, sorted, one page (keyset).
// Returns: one row per creator of the page (at most $first + 1, so the caller knows
//   whether there is a next page): creatorId, name, followers, videos, views,
//   engagementRate ((likes + comments + shares) / views), completionRate (completes /
//   views), avgCompletion (completionSum / views), newFollowers (follows made in the
//   growth window and still there), growthRate (newFollowers / followers before the
//   window, at least 1), engagedAudience (users who completed or liked a video),
//   sharedAudience and overlap (Jaccard) with the reference creator, similarity
//   (cosine of creatorEmbedding with the reference; null without embeddings),
//   sortValue, topHashtags (up to 3 {name, videos}), totalCount (matches over all pages).
// Parameters: $hashtags (list of hashtag names, may be empty), $topicWords (list of lower
//   case words matched inside hashtag names; empty for none), $topicQuery (Lucene query
//   on the `video_caption` fulltext index, or null), $minFollowers (int), $maxFollowers
//   (int or null), $minViews (int), $minEngagementRate (float), $minCompletionRate (float),
//   $minGrowth (float, on growthRate), $growthSince / $asOf (epoch ms: the growth window),
//   $referenceId (creator id or null; the reference itself is left out), $sort
//   ('engagement' | 'growth' | 'followers' | 'overlap' | 'similarity'), $afterValue /
//   $afterId (the cursor: sort value and id of the last creator of the previous page, or
//   null), $first (int, page size).
// Used by: graph.brands.discover.discover_creators (fyp creators discover, GraphQL
//   discoverCreators).
CALL () {
  WITH $hashtags AS hashtags WHERE size(hashtags) = 0 AND size($topicWords) = 0
                               AND $topicQuery IS NULL
  MATCH (c:Creator) WHERE EXISTS { (c)-[:POSTED]->(:Video) }
  RETURN c
  UNION
  MATCH (h:Hashtag) WHERE h.name IN $hashtags
  MATCH (h)<-[:TAGGED]-(:Video)<-[:POSTED]-(c:Creator)
  RETURN c
  UNION
  MATCH (h:Hashtag) WHERE any(word IN $topicWords WHERE h.name CONTAINS word)
  MATCH (h)<-[:TAGGED]-(:Video)<-[:POSTED]-(c:Creator)
  RETURN c
  UNION
  WITH $topicQuery AS topicQuery WHERE topicQuery IS NOT NULL
  CALL db.index.fulltext.queryNodes('video_caption', $topicQuery) YIELD node
  MATCH (node)<-[:POSTED]-(c:Creator)
  RETURN c
}
WITH DISTINCT c
WHERE ($referenceId IS NULL OR c.id <> $referenceId)
  AND coalesce(c.followers, 0) >= $minFollowers
  AND ($maxFollowers IS NULL OR coalesce(c.followers, 0) <= $maxFollowers)
CALL (c) {
  MATCH (c)-[:POSTED]->(v:Video) WHERE coalesce(v.status, 'active') = 'active'
  RETURN count(v) AS videos, sum(coalesce(v.views, 0)) AS views,
         sum(coalesce(v.likes, 0) + coalesce(v.comments, 0) + coalesce(v.shares, 0))
           AS engagements,
         sum(coalesce(v.completes, 0)) AS completes,
         sum(coalesce(v.completionSum, 0.0)) AS completionSum
}
WITH c, videos, views,
     CASE WHEN views = 0 THEN 0.0 ELSE toFloat(engagements) / views END AS engagementRate,
     CASE WHEN views = 0 THEN 0.0 ELSE toFloat(completes) / views END AS completionRate,
     CASE WHEN views = 0 THEN 0.0 ELSE completionSum / views END AS avgCompletion
WHERE videos > 0 AND views >= $minViews AND engagementRate >= $minEngagementRate
  AND completionRate >= $minCompletionRate
CALL (c) {
  OPTIONAL MATCH (c)<-[f:FOLLOWS]-(:User) WHERE f.at > $growthSince AND f.at <= $asOf
  RETURN count(f) AS newFollowers
}
WITH c, videos, views, engagementRate, completionRate, avgCompletion, newFollowers,
     toFloat(newFollowers) / CASE WHEN coalesce(c.followers, 0) - newFollowers > 1
                                  THEN coalesce(c.followers, 0) - newFollowers ELSE 1 END
       AS growthRate
WHERE growthRate >= $minGrowth
OPTIONAL MATCH (ref:Creator {id: $referenceId})
CALL (c, ref) {
  OPTIONAL MATCH (c)-[:POSTED]->(:Video)<-[r:VIEWED|LIKED]-(u:User)
  WHERE r:LIKED OR r.completion >= 0.95
  WITH DISTINCT ref, u
  RETURN count(u) AS engagedAudience,
         count(CASE WHEN ref IS NOT NULL AND EXISTS {
           MATCH (u)-[r:VIEWED|LIKED]->(:Video)<-[:POSTED]-(ref)
           WHERE r:LIKED OR r.completion >= 0.95
         } THEN 1 END) AS sharedAudience
}
CALL (ref) {
  OPTIONAL MATCH (ref)-[:POSTED]->(:Video)<-[r:VIEWED|LIKED]-(u:User)
  WHERE r:LIKED OR r.completion >= 0.95
  RETURN count(DISTINCT u) AS referenceAudience
}
WITH c, videos, views, engagementRate, completionRate, avgCompletion, newFollowers,
     growthRate, engagedAudience, sharedAudience,
     CASE WHEN ref IS NULL OR engagedAudience + referenceAudience - sharedAudience = 0
          THEN 0.0
          ELSE toFloat(sharedAudience) / (engagedAudience + referenceAudience - sharedAudience)
     END AS overlap,
     CASE WHEN ref IS NULL OR c.creatorEmbedding IS NULL OR ref.creatorEmbedding IS NULL
               OR size(c.creatorEmbedding) <> size(ref.creatorEmbedding) THEN null
          ELSE vector.similarity.cosine(c.creatorEmbedding, ref.creatorEmbedding) END
       AS similarity
WITH c, videos, views, engagementRate, completionRate, avgCompletion, newFollowers,
     growthRate, engagedAudience, sharedAudience, overlap, similarity,
     toFloat(CASE $sort
       WHEN 'engagement' THEN engagementRate
       WHEN 'growth' THEN growthRate
       WHEN 'followers' THEN coalesce(c.followers, 0)
       WHEN 'overlap' THEN overlap
       WHEN 'similarity' THEN coalesce(similarity, -2.0)
     END) AS sortValue
ORDER BY sortValue DESC, c.id
WITH collect({c: c, videos: videos, views: views, engagementRate: engagementRate,
              completionRate: completionRate, avgCompletion: avgCompletion,
              newFollowers: newFollowers, growthRate: growthRate,
              engagedAudience: engagedAudience, sharedAudience: sharedAudience,
              overlap: overlap, similarity: similarity, sortValue: sortValue}) AS matches
UNWIND matches AS row
WITH row, size(matches) AS totalCount
WHERE $afterId IS NULL OR row.sortValue < $afterValue
   OR (row.sortValue = $afterValue AND row.c.id > $afterId)
WITH row, totalCount
LIMIT $first + 1
WITH row, totalCount, row.c AS c
CALL (c) {
  MATCH (c)-[:POSTED]->(:Video)-[:TAGGED]->(h:Hashtag)
  WITH h.name AS name, count(*) AS videos
  ORDER BY videos DESC, name
  LIMIT 3
  RETURN collect({name: name, videos: videos}) AS topHashtags
}
RETURN c.id AS creatorId, c.name AS name, coalesce(c.followers, 0) AS followers,
       row.videos AS videos, row.views AS views, row.engagementRate AS engagementRate,
       row.completionRate AS completionRate, row.avgCompletion AS avgCompletion,
       row.newFollowers AS newFollowers, row.growthRate AS growthRate,
       row.engagedAudience AS engagedAudience, row.sharedAudience AS sharedAudience,
       row.overlap AS overlap, row.similarity AS similarity, row.sortValue AS sortValue,
       topHashtags, totalCount
ORDER BY sortValue DESC, creatorId
