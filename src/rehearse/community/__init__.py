"""Community improvement: suggestions, votes, comments, moderation, revision history, notifications."""
