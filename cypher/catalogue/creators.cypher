// The read model's row of each creator (what the scorer and the API's feed page show).
// Missing ids are left out.
// Returns one row: creators (list of maps: id, name, createdAt, followers, following,
// videos, authenticity).
// Parameters: $ids (list of creator ids).
// Used by: graph.feed.catalogue.sync (changes).
UNWIND $ids AS id
MATCH (c:Creator {id: id})
RETURN collect(c {.id, .name, .createdAt, .followers, .following, .videos, .authenticity}) AS creators
