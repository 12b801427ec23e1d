"""Mock interviews: a timed, balanced set of questions, follow-ups from what answers missed, one report."""
