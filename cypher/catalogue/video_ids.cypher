// One page of video ids in id order (keyset paging): the read model's full load and its
// background sweep, which re-reads every video in turn and notices deleted ones.
// Returns one row: videoIds (list of the ids after $after, in id order; one row rather
// than one per id, since every row costs the driver far more than a list element).
// Parameters: $after (string: the last id of the previous page; '' for the first page);
// $limit (int: page size).
// Used by: graph.feed.catalogue.sync (load and sweep).
MATCH (v:Video)
WHERE v.id > $after
WITH v.id AS videoId
ORDER BY videoId
LIMIT $limit
RETURN collect(videoId) AS videoIds
