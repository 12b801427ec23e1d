"""Rate limits kept in the database, so every app process counts against the same numbers."""
