// Accounts that look inauthentic: ghosts (they followed someone during the recorded
// history, at or after $observedSince, and never viewed, skipped or engaged with any
// video) and ring members (they follow at least 3 accounts, at least half of which
// follow them back).
// Returns: userId, following (int), ghost (bool), ring (bool), one row per flagged account.
// Parameters: $observedSince (epoch ms: the first event).
// Used by: graph.brands.authenticity.suspicious_accounts (fyp creators authenticity
//   --accounts, the precision / recall test against planted bots).
MATCH (u:User) WHERE EXISTS { (u)-[:FOLLOWS]->() }
WITH u, COUNT { (u)-[:FOLLOWS]->() } AS following
WITH u, following,
     EXISTS { (u)-[f:FOLLOWS]->() WHERE f.at >= $observedSince }
       AND NOT EXISTS { (u)-[:VIEWED|SKIPPED|LIKED|SHARED|COMMENTED]->(:Video) } AS ghost,
     following >= 3 AND 2 * COUNT { (u)-[:FOLLOWS]->(x) WHERE (x)-[:FOLLOWS]->(u) } >= following
       AS ring
WHERE ghost OR ring
RETURN u.id AS userId, following, ghost, ring
ORDER BY userId
