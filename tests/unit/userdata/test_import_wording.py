"""What `rehearse data import` says it loaded: each count named as a reader says it."""

from rehearse.userdata.wording import counted


def test_counts_are_named_in_the_singular_for_one_and_in_words():
    said = counted({"attempts": 3, "stories": 1, "plans": 0, "comment_reports": 1, "votes": 2})
    assert said == "3 answers, 1 story, 0 prep plans, 1 report of a comment, 2 votes"
    assert "_" not in counted({"comment_reports": 2, "something_new": 1})
