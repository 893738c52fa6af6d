// Uniqueness constraints on every id of the graph model (idempotent: IF NOT EXISTS).
// Returns: nothing. Parameters: none.
// Used by: graph.schema.init_schema (`fyp db init`), once per statement.
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT video_id IF NOT EXISTS FOR (n:Video) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT hashtag_name IF NOT EXISTS FOR (n:Hashtag) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT sound_id IF NOT EXISTS FOR (n:Sound) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT deleted_video_id IF NOT EXISTS FOR (n:DeletedVideo) REQUIRE n.id IS UNIQUE;
