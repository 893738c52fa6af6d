// Range indexes on every property a query filters or sorts by (idempotent).
// Returns: nothing. Parameters: none.
// Used by: graph.schema.init_schema (`fyp db init`), once per statement.
CREATE INDEX creator_id IF NOT EXISTS FOR (n:Creator) ON (n.id);
CREATE INDEX video_created_at IF NOT EXISTS FOR (n:Video) ON (n.createdAt);
CREATE INDEX video_status IF NOT EXISTS FOR (n:Video) ON (n.status);
// Every API process's read model polls what changed since its last look.
CREATE INDEX video_changed_at IF NOT EXISTS FOR (n:Video) ON (n.changedAt);
CREATE INDEX creator_changed_at IF NOT EXISTS FOR (n:Creator) ON (n.changedAt);
CREATE INDEX deleted_video_at IF NOT EXISTS FOR (n:DeletedVideo) ON (n.at);
CREATE INDEX user_created_at IF NOT EXISTS FOR (n:User) ON (n.createdAt);
CREATE INDEX event_at IF NOT EXISTS FOR (n:Event) ON (n.at);
CREATE INDEX event_type_at IF NOT EXISTS FOR (n:Event) ON (n.type, n.at);
// Only events with a target (follow, unfollow, not_interested) have entries: cheap.
CREATE INDEX event_target_user IF NOT EXISTS FOR (n:Event) ON (n.targetId, n.userId);
CREATE INDEX viewed_last_at IF NOT EXISTS FOR ()-[r:VIEWED]-() ON (r.lastAt);
CREATE INDEX liked_at IF NOT EXISTS FOR ()-[r:LIKED]-() ON (r.at);
CREATE INDEX shared_last_at IF NOT EXISTS FOR ()-[r:SHARED]-() ON (r.lastAt);
CREATE INDEX commented_last_at IF NOT EXISTS FOR ()-[r:COMMENTED]-() ON (r.lastAt);
CREATE INDEX follows_at IF NOT EXISTS FOR ()-[r:FOLLOWS]-() ON (r.at);
CREATE INDEX served_last_at IF NOT EXISTS FOR ()-[r:SERVED]-() ON (r.lastAt);
CREATE FULLTEXT INDEX video_caption IF NOT EXISTS FOR (n:Video) ON EACH [n.caption];
