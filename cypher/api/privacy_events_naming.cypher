// Every event that names a user: their own (userId), those aimed at them (targetId:
// follows of them, "not interested" in them) and those on the videos they posted.
// Returns: id, type, userId, videoId, targetId, watchMs, completion, rewatches per event.
// Parameters: $userId; $videoIds (ids of the videos the user posted).
// Used by: graph/privacy.py (delete_user_data, inside its one transaction).
MATCH (e:Event)
WHERE e.userId = $userId OR e.targetId = $userId OR e.videoId IN $videoIds
RETURN e.id AS id, e.type AS type, e.userId AS userId, e.videoId AS videoId,
       e.targetId AS targetId, e.watchMs AS watchMs, e.completion AS completion,
       e.rewatches AS rewatches
