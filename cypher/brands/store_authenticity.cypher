// Stores the authenticity score on creators, for the feed (a scorer feature or a filter):
// Creator.authenticity (float in [0, 1], 1 = every follower looks real),
// Creator.authenticityFlagged (bool), Creator.authenticityAt (epoch ms of the check).
// changedAt tells the API's read models to refresh the creator. Idempotent: plain SETs on existing creators, safe to retry.
// Returns: stored (int). Parameters: $rows (list of {creatorId, score, flagged, at}).
// Used by: graph.brands.authenticity.store_authenticity (fyp creators authenticity --store).
UNWIND $rows AS row
MATCH (c:Creator {id: row.creatorId})
SET c.authenticity = row.score, c.authenticityFlagged = row.flagged,
    c.authenticityAt = row.at, c.changedAt = timestamp()
RETURN count(c) AS stored
