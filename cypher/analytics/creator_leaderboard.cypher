// title: Creator leaderboard by engagement rate
// description: Creators ranked by engagement rate, (likes + comments + shares) / views
//   over all their active videos (all-time counters), among creators with at least
//   $minViews views; with followers, videos, views and the share of views that completed.
// param: $minViews int 0..1000000 = 20 — fewest views for a creator to be ranked
// param: $limit int 1..1000 = 50 — how many creators
// returns: rank, creatorId, name, followers, videos, views, engagementRate, completionRate
// used by: fyp query run creator_leaderboard; GraphQL runAnalyticsQuery (analyst role)
MATCH (c:Creator)-[:POSTED]->(v:Video)
WHERE coalesce(v.status, 'active') = 'active'
WITH c, count(v) AS videos, sum(coalesce(v.views, 0)) AS views,
     sum(coalesce(v.likes, 0) + coalesce(v.comments, 0) + coalesce(v.shares, 0)) AS engagements,
     sum(coalesce(v.completes, 0)) AS completes
WHERE views >= $minViews AND views > 0
WITH c, videos, views, toFloat(engagements) / views AS engagementRate,
     toFloat(completes) / views AS completionRate
ORDER BY engagementRate DESC, views DESC, c.id
LIMIT $limit
WITH collect({c: c, videos: videos, views: views, er: engagementRate, cr: completionRate}) AS rows
UNWIND range(0, size(rows) - 1) AS index
WITH index, rows[index] AS row
RETURN index + 1 AS rank, row.c.id AS creatorId, row.c.name AS name,
       coalesce(row.c.followers, 0) AS followers, row.videos AS videos, row.views AS views,
       row.er AS engagementRate, row.cr AS completionRate
ORDER BY rank
