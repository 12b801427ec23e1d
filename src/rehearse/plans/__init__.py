"""Prep plans: a pasted job posting turned into the questions to practise, in order."""
