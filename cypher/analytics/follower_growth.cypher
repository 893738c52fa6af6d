// title: Follower growth
// description: Creators by net follower growth in the last $days days up to $asOf, from
//   the follow and unfollow events of the window (follows loaded as a snapshot, without
//   events, do not count). growthRate = net / followers at the start of the window
//   (followers now minus net; null when that is 0).
// param: $days int 1..3650 = 7 — window length in days, ending at $asOf
// param: $limit int 1..1000 = 20 — how many creators
// param: $asOf timestamp = null — end of the window, epoch ms (default: the latest event)
// returns: creatorId, name, followers, newFollowers, unfollows, net, growthRate
// used by: fyp query run follower_growth; GraphQL runAnalyticsQuery (analyst role)
CALL () {
  OPTIONAL MATCH (e:Event) WHERE e.at IS NOT NULL
  RETURN e.at AS latest ORDER BY e.at DESC LIMIT 1
}
WITH coalesce($asOf, latest, timestamp()) AS asOf
MATCH (e:Event)
  WHERE e.type IN ['follow', 'unfollow'] AND e.at > asOf - $days * 86400000 AND e.at <= asOf
WITH e.targetId AS creatorId, sum(CASE e.type WHEN 'follow' THEN 1 ELSE 0 END) AS newFollowers,
     sum(CASE e.type WHEN 'unfollow' THEN 1 ELSE 0 END) AS unfollows
MATCH (c:User {id: creatorId})
WITH c, newFollowers, unfollows, newFollowers - unfollows AS net,
     coalesce(c.followers, 0) AS followers
RETURN c.id AS creatorId, c.name AS name, followers, newFollowers, unfollows, net,
       CASE WHEN followers - net <= 0 THEN null ELSE toFloat(net) / (followers - net) END
         AS growthRate
ORDER BY net DESC, newFollowers DESC, creatorId
LIMIT $limit
