"""What an import of a user's data says it loaded, on the page and at the command line alike."""

from __future__ import annotations

# What each of import_user's counts is called, one and many ("1 comment_reports imported" before)
NAMES = {"attempts": ("answer", "answers"), "cards": ("review card", "review cards"), "reviews": ("review", "reviews"),
         "stories": ("story", "stories"), "mocks": ("mock interview", "mock interviews"),
         "plans": ("prep plan", "prep plans"), "suggestions": ("suggestion", "suggestions"),
         "comments": ("comment", "comments"), "votes": ("vote", "votes"),
         "notifications": ("notification", "notifications"),
         "comment_reports": ("report of a comment", "reports of comments")}


def named(counts: dict[str, int], what: str) -> str:
    """One count with its name, singular for one: "1 story", "0 prep plans"."""
    n = counts[what]
    one, many = NAMES.get(what, (what.replace("_", " "),) * 2)
    return f"{n} {one if n == 1 else many}"


def counted(counts: dict[str, int]) -> str:
    """"3 answers, 1 story, 0 prep plans": every count with its name."""
    return ", ".join(named(counts, what) for what in counts)
