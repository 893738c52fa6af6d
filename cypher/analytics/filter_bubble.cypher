// title: Filter bubble per user
// description: How many topic communities the feed of each user covered in the last $days
//   days up to $asOf. The feed is every video the user was served, viewed or skipped in
//   the window; the topic of a video is its dominant hashtag (its hashtag used by the
//   most videos, ties by name); untagged videos are left out. Users with fewer than
//   $minVideos tagged videos are left out. entropy is the Shannon entropy of the topic
//   mix in bits (0 = one topic only); the most bubbled users come first.
// param: $days int 1..3650 = 7 — window length in days, ending at $asOf
// param: $minVideos int 0..1000000 = 5 — fewest tagged videos in the feed for a user to be listed
// param: $limit int 1..1000 = 100 — how many users
// param: $asOf timestamp = null — end of the window, epoch ms (default: the latest event)
// returns: userId, videos, topics, topTopic, topTopicShare, entropy
// used by: fyp query run filter_bubble; GraphQL runAnalyticsQuery (analyst role)
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS latest ORDER BY e.at DESC LIMIT 1
}
WITH coalesce($asOf, latest, timestamp()) AS asOf
MATCH (e:Event)
  WHERE e.type IN ['impression', 'view', 'skip']
    AND e.at > asOf - $days * 86400000 AND e.at <= asOf
WITH e.userId AS userId, collect(DISTINCT e.videoId) AS videoIds
WHERE size(videoIds) >= $minVideos
UNWIND videoIds AS videoId
MATCH (v:Video {id: videoId})
CALL (v) {
  MATCH (v)-[:TAGGED]->(h:Hashtag)
  RETURN h.name AS topic
  ORDER BY coalesce(h.videos, 0) DESC, h.name
  LIMIT 1
}
WITH userId, topic, count(*) AS n
ORDER BY userId, n DESC, topic
WITH userId, collect({topic: topic, n: n}) AS mix, sum(n) AS videos
WHERE videos >= $minVideos
RETURN userId, videos, size(mix) AS topics, mix[0].topic AS topTopic,
       toFloat(mix[0].n) / videos AS topTopicShare,
       abs(reduce(h = 0.0, m IN mix |
         h - (toFloat(m.n) / videos) * log(toFloat(m.n) / videos) / log(2.0))) AS entropy
ORDER BY topics, topTopicShare DESC, videos DESC, userId
LIMIT $limit
