// Element ids of users and videos by id, for the ingestion floor's rungs that skip
// index seeks (read before the timed writes, untimed).
// Parameters: $userIds, $videoIds (lists of ids).
// Returns: kind ('user' or 'video'), id, ref (the node's element id); one row per found id.
// Used by: bench/ingest_floor.py.
UNWIND $userIds AS id
MATCH (u:User {id: id})
RETURN 'user' AS kind, id, elementId(u) AS ref
UNION ALL
UNWIND $videoIds AS id
MATCH (v:Video {id: id})
RETURN 'video' AS kind, id, elementId(v) AS ref
