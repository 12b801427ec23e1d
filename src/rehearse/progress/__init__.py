"""Progress: the figures and charts of a user's preparation over time."""
