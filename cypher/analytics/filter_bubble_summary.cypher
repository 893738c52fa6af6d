// title: Filter bubble distribution
// description: How many users had their feed cover 1, 2, 3 ... topic communities in the
//   last $days days up to $asOf (same definitions as filter_bubble: the feed is what a
//   user was served, viewed or skipped; the topic of a video is its dominant hashtag;
//   users with fewer than $minVideos tagged videos are left out).
// param: $days int 1..3650 = 7 — window length in days, ending at $asOf
// param: $minVideos int 0..1000000 = 5 — fewest tagged videos in the feed for a user to count
// param: $asOf timestamp = null — end of the window, epoch ms (default: the latest event)
// returns: topics, users, shareOfUsers, avgVideos
// used by: fyp query run filter_bubble_summary; GraphQL runAnalyticsQuery (analyst role)
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
WITH userId, count(*) AS videos, count(DISTINCT topic) AS topics
WHERE videos >= $minVideos
WITH collect({topics: topics, videos: videos}) AS users
UNWIND users AS user
WITH user.topics AS topics, count(*) AS n, avg(user.videos) AS avgVideos, size(users) AS total
RETURN topics, n AS users, toFloat(n) / total AS shareOfUsers, avgVideos
ORDER BY topics
