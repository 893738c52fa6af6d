// title: New-creator exposure
// description: Creators whose first video was posted in the last $days days up to $asOf,
//   and the exposure the feed gave them in that window: impressions, views, distinct
//   viewers, and their share of all views in the window.
// param: $days int 1..3650 = 7 — window length in days, ending at $asOf
// param: $limit int 1..1000 = 50 — how many creators
// param: $asOf timestamp = null — end of the window, epoch ms (default: the latest event)
// returns: creatorId, name, firstPostAt, videos, impressions, views, viewers, shareOfViews
// used by: fyp query run new_creator_exposure; GraphQL runAnalyticsQuery (analyst role)
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS latest ORDER BY e.at DESC LIMIT 1
}
WITH coalesce($asOf, latest, timestamp()) AS asOf
WITH asOf, asOf - $days * 86400000 AS since
CALL (asOf, since) {
  MATCH (e:Event) WHERE e.type = 'view' AND e.at > since AND e.at <= asOf
  RETURN count(e) AS allViews
}
MATCH (c:Creator)-[:POSTED]->(v:Video) WHERE v.createdAt <= asOf
WITH asOf, since, allViews, c, min(v.createdAt) AS firstPostAt, collect(v.id) AS videoIds
WHERE firstPostAt > since
WITH asOf, since, allViews,
     collect({creator: c, firstPostAt: firstPostAt, videoIds: videoIds}) AS newcomers
// One pass over the window, keeping only the newcomers' videos.
CALL (asOf, since, newcomers) {
  UNWIND newcomers AS newcomer
  UNWIND newcomer.videoIds AS videoId
  WITH asOf, since, collect(videoId) AS newVideoIds
  MATCH (e:Event)
    WHERE e.type IN ['impression', 'view'] AND e.at > since AND e.at <= asOf
      AND e.videoId IN newVideoIds
  MATCH (c:Creator)-[:POSTED]->(:Video {id: e.videoId})
  WITH c, sum(CASE e.type WHEN 'impression' THEN 1 ELSE 0 END) AS impressions,
       sum(CASE e.type WHEN 'view' THEN 1 ELSE 0 END) AS views,
       count(DISTINCT CASE e.type WHEN 'view' THEN e.userId END) AS viewers
  RETURN collect({creator: c, impressions: impressions, views: views, viewers: viewers})
    AS exposure
}
UNWIND newcomers AS newcomer
WITH allViews, newcomer, [x IN exposure WHERE x.creator = newcomer.creator][0] AS seen
WITH allViews, newcomer.creator AS c, newcomer.firstPostAt AS firstPostAt,
     size(newcomer.videoIds) AS videos, coalesce(seen.impressions, 0) AS impressions,
     coalesce(seen.views, 0) AS views, coalesce(seen.viewers, 0) AS viewers
RETURN c.id AS creatorId, c.name AS name,
       toString(datetime({epochMillis: firstPostAt})) AS firstPostAt, videos, impressions,
       views, viewers,
       CASE WHEN allViews = 0 THEN 0.0 ELSE toFloat(views) / allViews END AS shareOfViews
ORDER BY views DESC, impressions DESC, creatorId
LIMIT $limit
