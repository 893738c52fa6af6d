// Erasure, step 1: takes a user's engagement back out of the counters of the videos they
// touched, then deletes those relationships (live or archived by a reset).
// View counters come from the user's view events summed per video ($views), exactly what
// ingestion added; viewers, likes, shares, comments, skips, impressions and
// notInterested come from the relationships. Counters never go below 0.
// Returns: views (videos whose view counters shrank), relationships (deleted).
// Parameters: $userId; $views (list of {videoId, views, watchMs, completionSum,
// completes, rewatches}). Used by: graph/privacy.py (delete_user_data).
MATCH (u:User {id: $userId})
CALL (u) {
  UNWIND $views AS s
  MATCH (v:Video {id: s.videoId})
  SET v.views = CASE WHEN v.views > s.views THEN v.views - s.views ELSE 0 END,
      v.watchMsSum = CASE WHEN v.watchMsSum > s.watchMs THEN v.watchMsSum - s.watchMs ELSE 0 END,
      v.completionSum = CASE WHEN v.completionSum > s.completionSum
                             THEN v.completionSum - s.completionSum ELSE 0.0 END,
      v.completes = CASE WHEN v.completes > s.completes THEN v.completes - s.completes ELSE 0 END,
      v.rewatches = CASE WHEN v.rewatches > s.rewatches THEN v.rewatches - s.rewatches ELSE 0 END
  RETURN count(v) AS views
}
CALL (u) {
  MATCH (u)-[r]->(v:Video)
  WITH v, r, CASE type(r) WHEN 'ARCHIVED' THEN r.type ELSE type(r) END AS kind
  WHERE kind IN ['VIEWED', 'LIKED', 'SHARED', 'COMMENTED', 'SKIPPED', 'SERVED', 'NOT_INTERESTED']
  WITH v, collect(r) AS rels,
       sum(CASE kind WHEN 'VIEWED' THEN 1 ELSE 0 END) AS viewers,
       sum(CASE kind WHEN 'LIKED' THEN 1 ELSE 0 END) AS likes,
       sum(CASE kind WHEN 'SHARED' THEN coalesce(r.count, 1) ELSE 0 END) AS shares,
       sum(CASE kind WHEN 'COMMENTED' THEN coalesce(r.count, 1) ELSE 0 END) AS comments,
       sum(CASE kind WHEN 'SKIPPED' THEN coalesce(r.count, 1) ELSE 0 END) AS skips,
       sum(CASE kind WHEN 'SERVED' THEN coalesce(r.count, 1) ELSE 0 END) AS impressions,
       sum(CASE kind WHEN 'NOT_INTERESTED' THEN 1 ELSE 0 END) AS notInterested
  SET v.viewers = CASE WHEN v.viewers > viewers THEN v.viewers - viewers ELSE 0 END,
      v.likes = CASE WHEN v.likes > likes THEN v.likes - likes ELSE 0 END,
      v.shares = CASE WHEN v.shares > shares THEN v.shares - shares ELSE 0 END,
      v.comments = CASE WHEN v.comments > comments THEN v.comments - comments ELSE 0 END,
      v.skips = CASE WHEN v.skips > skips THEN v.skips - skips ELSE 0 END,
      v.impressions = CASE WHEN v.impressions > impressions
                           THEN v.impressions - impressions ELSE 0 END,
      v.notInterested = CASE WHEN v.notInterested > notInterested
                             THEN v.notInterested - notInterested ELSE 0 END
  FOREACH (rel IN rels | DELETE rel)
  RETURN sum(size(rels)) AS relationships
}
RETURN views, relationships
