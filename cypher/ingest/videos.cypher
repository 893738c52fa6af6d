// Upserts videos with their creator (who becomes a Creator), hashtags and sound.
// Counters Creator.videos, Hashtag.videos and Sound.videos grow only when the
// POSTED / TAGGED / USES_SOUND relationship is new, so a replay changes nothing.
// Parameters: $rows (list of {id, creatorId, createdAt, durationMs, caption, hashtags,
//   soundId, soundTitle, status}; ids unique within the list; the creator must exist;
//   null caption / soundTitle / status keep what is stored).
// Sets changedAt (the database's clock) on a video whose row changes anything, and on
// the creator of a new one: API processes refresh their read model from it.
// Returns: created (int), how many rows were new videos.
// Used by: graph.ingest (import_dir / import_records; the API publishes one video this way).
UNWIND $rows AS row
MATCH (c:User {id: row.creatorId})
OPTIONAL MATCH (existing:Video {id: row.id})
WITH row, c, existing, existing IS NULL AS isNew
// Whether this row changes what the read models hold (a replay changes nothing, not even
// changedAt).
WITH row, c, isNew,
     isNew
     OR existing.createdAt <> row.createdAt OR existing.durationMs <> row.durationMs
     OR coalesce(row.caption <> existing.caption, row.caption IS NOT NULL)
     OR coalesce(row.status <> coalesce(existing.status, 'active'), false)
     OR NOT EXISTS { (c)-[:POSTED]->(existing) }
     OR any(tag IN row.hashtags WHERE NOT EXISTS { (existing)-[:TAGGED]->(:Hashtag {name: tag}) })
     OR (row.soundId IS NOT NULL AND NOT EXISTS {
           (existing)-[:USES_SOUND]->(s:Sound {id: row.soundId})
           WHERE row.soundTitle IS NULL OR s.title = row.soundTitle
         }) AS changed
SET c:Creator, c.videos = coalesce(c.videos, 0)
FOREACH (_ IN CASE WHEN isNew THEN [1] ELSE [] END | SET c.changedAt = timestamp())
MERGE (v:Video {id: row.id})
  ON CREATE SET v.views = 0, v.viewers = 0, v.completes = 0, v.completionSum = 0.0,
                v.watchMsSum = 0, v.rewatches = 0, v.likes = 0, v.shares = 0, v.comments = 0,
                v.skips = 0, v.notInterested = 0, v.impressions = 0, v.follows = 0
SET v.createdAt = row.createdAt,
    v.durationMs = row.durationMs,
    v.changedAt = CASE WHEN changed THEN timestamp() ELSE v.changedAt END,
    v.caption = coalesce(row.caption, v.caption),
    v.status = coalesce(row.status, v.status, 'active')
// A new video cannot have relationships yet: CREATE them (MERGE would search hub
// hashtags and sounds for nothing). A known video MERGEs, so a replay adds nothing.
FOREACH (_ IN CASE WHEN isNew THEN [1] ELSE [] END |
  CREATE (c)-[:POSTED {at: row.createdAt}]->(v)
  SET c.videos = c.videos + 1
)
FOREACH (_ IN CASE WHEN isNew THEN [] ELSE [1] END |
  MERGE (c)-[p:POSTED]->(v)
    ON CREATE SET p.at = row.createdAt, c.videos = c.videos + 1
)
FOREACH (tag IN row.hashtags |
  MERGE (h:Hashtag {name: tag})
  FOREACH (_ IN CASE WHEN isNew THEN [1] ELSE [] END |
    CREATE (v)-[:TAGGED]->(h)
    SET h.videos = coalesce(h.videos, 0) + 1
  )
  FOREACH (_ IN CASE WHEN isNew THEN [] ELSE [1] END |
    MERGE (v)-[:TAGGED]->(h)
      ON CREATE SET h.videos = coalesce(h.videos, 0) + 1
  )
)
FOREACH (soundId IN CASE WHEN row.soundId IS NULL THEN [] ELSE [row.soundId] END |
  MERGE (s:Sound {id: soundId})
  SET s.title = coalesce(row.soundTitle, s.title)
  FOREACH (_ IN CASE WHEN isNew THEN [1] ELSE [] END |
    CREATE (v)-[:USES_SOUND]->(s)
    SET s.videos = coalesce(s.videos, 0) + 1
  )
  FOREACH (_ IN CASE WHEN isNew THEN [] ELSE [1] END |
    MERGE (v)-[:USES_SOUND]->(s)
      ON CREATE SET s.videos = coalesce(s.videos, 0) + 1
  )
)
RETURN sum(CASE WHEN isNew THEN 1 ELSE 0 END) AS created
