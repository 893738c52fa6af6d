// A user's feed settings (absent properties mean the defaults).
// Returns: one row when the user exists: personalized (bool or null), keywordFilters
// (list or null), interests (list or null); no row for an unknown user.
// Parameters: $userId. Used by: graph/settings_store.py (load_settings).
MATCH (u:User {id: $userId})
RETURN u.personalized AS personalized, u.keywordFilters AS keywordFilters,
       u.interests AS interests
