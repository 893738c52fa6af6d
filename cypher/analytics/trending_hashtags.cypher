// title: Trending hashtags
// description: Hashtags by views in the last $hours hours up to $asOf, against the
//   $hours hours before that. velocity = (views - previousViews) / max(previousViews, 1),
//   the relative growth from one window to the next; only hashtags with at least
//   $minViews views in the current window; fastest growing first.
// param: $hours int 1..8760 = 24 — length of each window in hours
// param: $minViews int 0..1000000 = 3 — fewest views in the current window to be listed
// param: $limit int 1..1000 = 20 — how many hashtags
// param: $asOf timestamp = null — end of the current window, epoch ms (default: the latest event)
// returns: hashtag, views, previousViews, velocity, viewers, videos
// used by: fyp query run trending_hashtags; GraphQL runAnalyticsQuery (analyst role)
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS latest ORDER BY e.at DESC LIMIT 1
}
WITH coalesce($asOf, latest, timestamp()) AS asOf
WITH asOf, asOf - $hours * 3600000 AS split
MATCH (e:Event)
  WHERE e.type = 'view' AND e.at > split - $hours * 3600000 AND e.at <= asOf
MATCH (:Video {id: e.videoId})-[:TAGGED]->(h:Hashtag)
WITH h, e.at > split AS current, e
WITH h,
     sum(CASE WHEN current THEN 1 ELSE 0 END) AS views,
     sum(CASE WHEN current THEN 0 ELSE 1 END) AS previousViews,
     count(DISTINCT CASE WHEN current THEN e.userId END) AS viewers,
     count(DISTINCT CASE WHEN current THEN e.videoId END) AS videos
WHERE views >= $minViews
RETURN h.name AS hashtag, views, previousViews,
       toFloat(views - previousViews)
         / CASE WHEN previousViews > 1 THEN previousViews ELSE 1 END AS velocity,
       viewers, videos
ORDER BY velocity DESC, views DESC, hashtag
LIMIT $limit
