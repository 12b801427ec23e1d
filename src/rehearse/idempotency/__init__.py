"""Idempotency-Key for writes: a retried request gets the first answer instead of a duplicate."""
