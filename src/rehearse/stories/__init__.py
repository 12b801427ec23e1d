"""The story bank: a user's own STAR stories, suggested for the questions they fit."""
