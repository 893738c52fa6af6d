// Which of the given ids are creators (so callers can report unknown ones clearly).
// Returns: creatorId, one row per existing creator. Parameters: $creatorIds (list of ids).
// Used by: graph.brands (discover with a reference creator, overlap, lookalikes).
UNWIND $creatorIds AS creatorId
MATCH (c:Creator {id: creatorId})
RETURN c.id AS creatorId
