// Hashtags and sounds whose `videos` counter disagrees with a recount of TAGGED and
// USES_SOUND relationships.
// Returns: label, id, counter, stored, recounted; one row per disagreement, none when
//   consistent. Parameters: $limit (int, most rows returned).
// Used by: tests/integration/test_ingest_*.py; analysts (fyp query run ingest/recount_tags_sounds).
CALL () {
  MATCH (h:Hashtag)
  RETURN 'Hashtag' AS label, h.name AS id, h.videos AS stored, COUNT { (h)<-[:TAGGED]-() } AS recounted
  UNION ALL
  MATCH (s:Sound)
  RETURN 'Sound' AS label, s.id AS id, s.videos AS stored, COUNT { (s)<-[:USES_SOUND]-() } AS recounted
}
WITH label, id, stored, recounted WHERE stored IS NULL OR stored <> recounted
RETURN label, id, 'videos' AS counter, stored, recounted
ORDER BY label, id
LIMIT $limit
