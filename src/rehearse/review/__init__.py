"""Spaced repetition: a review card for every practised question, scheduled with FSRS."""
