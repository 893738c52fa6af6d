// Pages of active videos using sounds, newest first, many pages in one round trip.
// Returns: key, videoIds (list, at most $limit, newest first) for each page asked.
// Parameters: $pages (list of {key, id: sound id, beforeAt: createdAt of the cursor or
// null, beforeId: video id of the cursor or null}), $limit (videos per page).
// Used by: api/loaders.py (Sound.videos).
UNWIND $pages AS page
CALL (page) {
  MATCH (:Sound {id: page.id})<-[:USES_SOUND]-(v:Video)
  WHERE coalesce(v.status, 'active') = 'active'
    AND (page.beforeAt IS NULL OR v.createdAt < page.beforeAt
         OR (v.createdAt = page.beforeAt AND v.id < page.beforeId))
  WITH v ORDER BY v.createdAt DESC, v.id DESC LIMIT $limit
  RETURN collect(v.id) AS videoIds
}
RETURN page.key AS key, videoIds
