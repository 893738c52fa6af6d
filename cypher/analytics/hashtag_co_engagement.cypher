// title: Co-engagement of hashtags
// description: Do the audiences of two hashtags overlap? The engaged users of a hashtag
//   completed (completion ≥ 0.95) or liked one of its videos (all time). For hashtag $a
//   and hashtag $b: both audience sizes, the users in both, Jaccard = both / union and
//   confidence = both / usersA (the share of the audience of $a also engaged with $b).
//   When $b is null: the $limit hashtags most co-engaged with $a.
// param: $a string — the first hashtag (required; lower case, without #)
// param: $b string = null — the second hashtag (default: the most co-engaged hashtags)
// param: $limit int 1..1000 = 20 — how many hashtags when $b is null
// returns: hashtagA, hashtagB, usersA, usersB, both, jaccard, confidence
// used by: fyp query run hashtag_co_engagement; GraphQL runAnalyticsQuery (analyst role)
MATCH (ha:Hashtag {name: toLower($a)})
CALL (ha) {
  MATCH (ha)<-[:TAGGED]-(:Video)<-[r:VIEWED|LIKED]-(u:User)
  WHERE r:LIKED OR r.completion >= 0.95
  RETURN count(DISTINCT u) AS usersA
}
CALL (ha) {
  WITH ha WHERE $b IS NULL
  MATCH (ha)<-[:TAGGED]-(:Video)<-[r:VIEWED|LIKED]-(u:User)
  WHERE r:LIKED OR r.completion >= 0.95
  WITH DISTINCT ha, u
  MATCH (u)-[r:VIEWED|LIKED]->(:Video)-[:TAGGED]->(hb:Hashtag)
  WHERE (r:LIKED OR r.completion >= 0.95) AND hb <> ha
  WITH hb, count(DISTINCT u) AS both
  ORDER BY both DESC, hb.name
  LIMIT $limit
  RETURN hb
  UNION
  WITH ha WHERE $b IS NOT NULL
  MATCH (hb:Hashtag {name: toLower($b)})
  RETURN hb
}
CALL (ha, hb) {
  MATCH (hb)<-[:TAGGED]-(:Video)<-[r:VIEWED|LIKED]-(u:User)
  WHERE r:LIKED OR r.completion >= 0.95
  WITH DISTINCT ha, u
  RETURN count(u) AS usersB,
         count(CASE WHEN EXISTS {
           MATCH (u)-[r:VIEWED|LIKED]->(:Video)-[:TAGGED]->(ha)
           WHERE r:LIKED OR r.completion >= 0.95
         } THEN 1 END) AS both
}
RETURN ha.name AS hashtagA, hb.name AS hashtagB, usersA, usersB, both,
       CASE WHEN usersA + usersB - both = 0 THEN 0.0
            ELSE toFloat(both) / (usersA + usersB - both) END AS jaccard,
       CASE WHEN usersA = 0 THEN 0.0 ELSE toFloat(both) / usersA END AS confidence
ORDER BY both DESC, jaccard DESC, hashtagB
