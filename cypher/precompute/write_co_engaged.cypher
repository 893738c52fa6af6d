// Replaces the precomputed co-engagement neighbours of a batch of videos: deletes each
// video's outgoing CO_ENGAGED and MERGEs the new top list, so a retried transaction
// or a rerun leaves exactly one relationship per (video, neighbour).
// Returns: videos (how many source videos were found), written (relationships).
// Parameters: $rows (list of maps: id (video id), neighbours (list of maps: id, score
// (popularity-normalised co-engagement, cosine), viewers (co-engaged viewers), rank
// (1 = closest))); $computedAt (epoch ms of this run).
// Used by: graph.precompute.co_engagement (`fyp precompute`).
UNWIND $rows AS row
MATCH (v:Video {id: row.id})
CALL (v) {
  OPTIONAL MATCH (v)-[old:CO_ENGAGED]->()
  DELETE old
}
WITH v, row
CALL (v, row) {
  UNWIND row.neighbours AS n
  MATCH (other:Video {id: n.id})
  MERGE (v)-[c:CO_ENGAGED]->(other)
  SET c.score = n.score, c.viewers = n.viewers, c.rank = n.rank, c.computedAt = $computedAt
  RETURN count(c) AS written
}
RETURN count(v) AS videos, sum(written) AS written
