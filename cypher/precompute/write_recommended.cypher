// Replaces the precomputed recommendation lists of a batch of viewers: deletes each
// viewer's outgoing RECOMMENDED and MERGEs the new list, so a retried transaction or a
// rerun leaves exactly one relationship per (viewer, video).
// Returns: viewers (how many viewers were found), written (relationships).
// Parameters: $rows (list of maps: id (user id), videos (list of maps: id (video id),
// score (the viewer's EASE score, engagement row x item weights), rank (1 = best)));
// $computedAt (epoch ms of this run).
// Used by: graph.precompute.recommendations (`fyp precompute`).
UNWIND $rows AS row
MATCH (u:User {id: row.id})
CALL (u) {
  OPTIONAL MATCH (u)-[old:RECOMMENDED]->()
  DELETE old
}
WITH u, row
CALL (u, row) {
  UNWIND row.videos AS r
  MATCH (v:Video {id: r.id})
  MERGE (u)-[rec:RECOMMENDED]->(v)
  SET rec.score = r.score, rec.rank = r.rank, rec.computedAt = $computedAt
  RETURN count(rec) AS written
}
RETURN count(u) AS viewers, sum(written) AS written
