// Updates a user's feed settings; a null parameter leaves that setting as it was.
// Returns: one row when the user exists: personalized, keywordFilters, interests (after).
// Parameters: $userId, $personalized (bool or null), $keywordFilters (list or null),
// $interests (list of hashtag names or null). Used by: graph/settings_store.py (save_settings).
MATCH (u:User {id: $userId})
SET u.personalized = coalesce($personalized, u.personalized),
    u.keywordFilters = coalesce($keywordFilters, u.keywordFilters),
    u.interests = coalesce($interests, u.interests)
RETURN u.personalized AS personalized, u.keywordFilters AS keywordFilters,
       u.interests AS interests
