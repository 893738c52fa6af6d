// Pages of active videos tagged with hashtags, newest first, many pages in one round trip.
// Returns: key, videoIds (list, at most $limit, newest first) for each page asked.
// Parameters: $pages (list of {key, id: hashtag name, beforeAt: createdAt of the cursor or
// null, beforeId: video id of the cursor or null}), $limit (videos per page).
// Used by: api/loaders.py (Hashtag.videos).
UNWIND $pages AS page
CALL (page) {
  MATCH (:Hashtag {name: page.id})<-[:TAGGED]-(v:Video)
  WHERE coalesce(v.status, 'active') = 'active'
    AND (page.beforeAt IS NULL OR v.createdAt < page.beforeAt
         OR (v.createdAt = page.beforeAt AND v.id < page.beforeId))
  WITH v ORDER BY v.createdAt DESC, v.id DESC LIMIT $limit
  RETURN collect(v.id) AS videoIds
}
RETURN page.key AS key, videoIds
