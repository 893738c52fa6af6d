// title: Viral cascades
// description: How the audience of a video widened over time: from its first view, per
//   bucket of $bucketHours hours, the new viewers, the total so far, the share of the
//   total who did not follow the creator when they first watched (reach beyond the
//   followers), and the new sharers. The video is $videoId, or (when null) the $videos
//   videos with the most distinct viewers in the last $days days up to $asOf.
// param: $videoId string = null — the video to follow (default: the most viewed)
// param: $videos int 1..100 = 3 — how many videos when $videoId is null
// param: $days int 1..3650 = 7 — window that picks the most viewed videos, ending at $asOf
// param: $bucketHours int 1..720 = 24 — bucket length in hours
// param: $asOf timestamp = null — views after this are ignored, epoch ms (default: latest event)
// returns: videoId, bucket, bucketStart, newViewers, totalViewers, nonFollowerShare, newSharers
// used by: fyp query run viral_cascades; GraphQL runAnalyticsQuery (analyst role)
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS latest ORDER BY e.at DESC LIMIT 1
}
WITH coalesce($asOf, latest, timestamp()) AS asOf
WITH asOf, asOf - $days * 86400000 AS since
CALL (asOf, since) {
  WITH * WHERE $videoId IS NOT NULL
  MATCH (v:Video {id: $videoId})
  RETURN v
  UNION
  WITH * WHERE $videoId IS NULL
  MATCH (e:Event) WHERE e.type = 'view' AND e.at > since AND e.at <= asOf
  WITH e.videoId AS id, count(DISTINCT e.userId) AS viewers
  ORDER BY viewers DESC, id
  LIMIT $videos
  MATCH (v:Video {id: id})
  RETURN v
}
MATCH (c:Creator)-[:POSTED]->(v)
MATCH (v)<-[r:VIEWED]-(u:User) WHERE r.firstAt <= asOf
WITH v, asOf, r.firstAt AS at,
     EXISTS { (u)-[f:FOLLOWS]->(c) WHERE coalesce(f.at, 0) <= r.firstAt } AS follower
WITH v, asOf, collect({at: at, follower: follower}) AS viewers, min(at) AS start, max(at) AS last
CALL (v, asOf) {
  OPTIONAL MATCH (v)<-[s:SHARED]-(:User) WHERE s.firstAt <= asOf
  RETURN collect(s.firstAt) AS shares
}
WITH v, viewers, shares, start, last, $bucketHours * 3600000 AS bucketMs
UNWIND range(0, (last - start) / bucketMs) AS bucket
WITH v, viewers, shares, start, bucketMs, bucket,
     [x IN viewers WHERE (x.at - start) / bucketMs <= bucket] AS sofar
RETURN v.id AS videoId, bucket,
       toString(datetime({epochMillis: start + bucket * bucketMs})) AS bucketStart,
       size([x IN sofar WHERE (x.at - start) / bucketMs = bucket]) AS newViewers,
       size(sofar) AS totalViewers,
       toFloat(size([x IN sofar WHERE NOT x.follower])) / size(sofar) AS nonFollowerShare,
       size([t IN shares WHERE t >= start AND (t - start) / bucketMs = bucket]) AS newSharers
ORDER BY videoId, bucket
