// Totals that check a KuaiRand import against its source files: Event nodes of the
// import (ids `kr:<part>:...`) by part and type, and the engagement counters of
// videos and users summed (they must agree with the events and relationships).
// Parameters: none.
// Returns: rows of kind ('events' | 'counter'), name ('<part>:<type>' for events,
//   e.g. 'val:view'; the counter's name otherwise) and count.
// Used by: tests/integration/test_kuairand_*.py.
MATCH (e:Event)
WHERE e.id STARTS WITH 'kr:'
WITH split(e.id, ':')[1] + ':' + e.type AS name, count(*) AS count
RETURN 'events' AS kind, name, count
UNION ALL
MATCH (v:Video)
WITH sum(v.views) AS views, sum(v.likes) AS likes, sum(v.shares) AS shares,
     sum(v.comments) AS comments, sum(v.notInterested) AS notInterested,
     sum(v.follows) AS follows, sum(v.watchMsSum) AS watchMsSum
UNWIND [['views', views], ['likes', likes], ['shares', shares], ['comments', comments],
        ['notInterested', notInterested], ['follows', follows],
        ['watchMsSum', watchMsSum]] AS pair
RETURN 'counter' AS kind, pair[0] AS name, pair[1] AS count
UNION ALL
MATCH (u:User)
RETURN 'counter' AS kind, 'following' AS name, sum(u.following) AS count
