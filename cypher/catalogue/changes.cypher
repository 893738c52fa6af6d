// What changed in the catalogue since the read model's last look, in one round trip:
// videos and creators whose facts changed (their changedAt, set by every write that
// shapes the catalogue: import, publish, status, embeddings, authenticity), videos
// erased (their tombstones), videos with
// engagement events since then (their counters moved), the newest event, and the
// latest precompute run (new co-engagement neighbours to load).
// Returns one row: videoIds (list of strings), creatorIds (list of strings), deletedIds
// (list of strings: videos erased since, from their DeletedVideo tombstones), engagedIds
// (list of strings: videos with view, like, share, comment or skip events after
// $eventsSince), latestEventAt (epoch ms or null), neighboursAt (computedAt of the latest
// `fyp precompute`, or null), tunedAt (when `fyp tune` last stored settings, or null),
// tunedSettings (their JSON when tunedAt is not $tunedAt, else null), serverNow (epoch
// ms: the database's clock, the next $since is derived from it).
// Parameters: $since (epoch ms of the database clock: changes after it); $eventsSince
// (epoch ms: events after it); $engagedLimit (int: most engaged videos returned);
// $tunedAt (epoch ms or null: the tuned settings already held).
// Used by: graph.feed.catalogue.sync (every refresh tick).
CALL () {
  MATCH (v:Video)
  WHERE v.changedAt > $since
  RETURN collect(v.id) AS videoIds
}
CALL () {
  MATCH (c:Creator)
  WHERE c.changedAt > $since
  RETURN collect(c.id) AS creatorIds
}
CALL () {
  MATCH (gone:DeletedVideo)
  WHERE gone.at > $since
  RETURN collect(gone.id) AS deletedIds
}
CALL () {
  MATCH (e:Event)
  WHERE e.at > $eventsSince AND e.type IN ['view', 'like', 'unlike', 'share', 'comment', 'skip']
  WITH DISTINCT e.videoId AS videoId
  LIMIT $engagedLimit
  RETURN collect(videoId) AS engagedIds
}
CALL () {
  MATCH (e:Event)
  WHERE e.at IS NOT NULL
  WITH e.at AS at
  ORDER BY at DESC
  LIMIT 1
  RETURN max(at) AS latestEventAt
}
OPTIONAL MATCH (run:PrecomputeRun {id: 'co_engagement'})
OPTIONAL MATCH (tuned:TunedSettings {id: 'feed'})
RETURN videoIds, creatorIds, deletedIds, engagedIds, latestEventAt,
       run.computedAt AS neighboursAt, tuned.tunedAt AS tunedAt,
       CASE WHEN tuned.tunedAt = $tunedAt THEN null ELSE tuned.settings END AS tunedSettings,
       timestamp() AS serverNow
