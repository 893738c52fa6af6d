// Authenticity signals of creators, from their followers (scored by graph.brands.authenticity).
// A follower is a ghost when it followed during the recorded history (at or after
// $observedSince: older follows say nothing, as we cannot see what the account did back
// then) and never viewed, skipped, liked, shared or commented on any video; it is in a
// follow ring when it follows at least 3 accounts and at least half of them follow it
// back (bot rings follow each other and little else; viewers follow creators who rarely
// follow back).
// Returns: one row per creator found: creatorId, followers, ghosts, ringMembers,
//   suspicious (ghosts or ring members), days (list of {day: 'YYYY-MM-DD', follows,
//   unengaged, unengagedOnly}: follows made per UTC day in the window; unengaged = of
//   those, followers who never viewed or engaged with a video of this creator;
//   unengagedOnly = unengaged but neither ghost nor ring member).
// Parameters: $creatorIds (list of creator ids), $since and $asOf (epoch ms: the window
//   in which follower spikes are looked for), $observedSince (epoch ms: the first event).
// Used by: graph.brands.authenticity.creator_authenticity (discover, fyp creators
//   authenticity, the stored score the feed reads).
UNWIND $creatorIds AS creatorId
MATCH (c:Creator {id: creatorId})
OPTIONAL MATCH (c)<-[f:FOLLOWS]-(u:User)
WITH c, f, u,
     u IS NOT NULL AND f.at >= $observedSince AND NOT EXISTS {
       (u)-[:VIEWED|SKIPPED|LIKED|SHARED|COMMENTED]->(:Video)
     } AS ghost,
     u IS NOT NULL AND COUNT { (u)-[:FOLLOWS]->() } >= 3
       AND 2 * COUNT { (u)-[:FOLLOWS]->(x) WHERE (x)-[:FOLLOWS]->(u) }
           >= COUNT { (u)-[:FOLLOWS]->() } AS ring
WITH c, f, u, ghost, ring,
     CASE WHEN f.at > $since AND f.at <= $asOf
          THEN toString(date(datetime({epochMillis: f.at}))) END AS day
WITH c, f, ghost, ring, day,
     day IS NOT NULL AND NOT EXISTS {
       (u)-[:VIEWED|LIKED|SHARED|COMMENTED]->(:Video)<-[:POSTED]-(c)
     } AS unengaged
WITH c, day,
     count(f) AS follows,
     sum(CASE WHEN ghost THEN 1 ELSE 0 END) AS ghosts,
     sum(CASE WHEN ring THEN 1 ELSE 0 END) AS ringMembers,
     sum(CASE WHEN ghost OR ring THEN 1 ELSE 0 END) AS suspicious,
     sum(CASE WHEN unengaged THEN 1 ELSE 0 END) AS unengaged,
     sum(CASE WHEN unengaged AND NOT (ghost OR ring) THEN 1 ELSE 0 END) AS unengagedOnly
RETURN c.id AS creatorId, sum(follows) AS followers, sum(ghosts) AS ghosts,
       sum(ringMembers) AS ringMembers, sum(suspicious) AS suspicious,
       [d IN collect(CASE WHEN day IS NOT NULL THEN
          {day: day, follows: follows, unengaged: unengaged, unengagedOnly: unengagedOnly}
        END) WHERE d IS NOT NULL] AS days
