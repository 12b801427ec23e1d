"""A sentence that denies a talking point never covers it, whatever its closeness."""

from __future__ import annotations

import pytest

from rehearse.feedback import Question, analyze
from rehearse.feedback.denial import asks_to_avoid, denial_mask, denied_points, denying, no_example
from rehearse.feedback.text import content_stems

from .conftest import UNDERPERFORMER

EVIDENCE = tuple(content_stems("how you noticed the problem and confirmed it with evidence"))
PLAN = tuple(content_stems("the concrete improvement plan and support you offered"))


def share(stems, found) -> float:
    return sum(s in found for s in stems) / len(stems)


@pytest.mark.parametrize("sentence", [
    "I never checked any data and I did not confirm the problem with evidence, I just went with my gut.",
    "We didn't confirm the problem with any evidence.",
    "Honestly I avoided confirming the problem with evidence.",
    "I'd skip confirming the problem with evidence and go straight to a fix.",  # what one would not do
    "We'd never confirm the problem with evidence first.",
])
def test_a_negated_restatement_of_a_point_denies_it(sentence):
    assert denied_points(sentence, [EVIDENCE, PLAN], share) == [True, False]


def test_there_was_no_plan_denies_the_plan():
    assert denied_points("There was no improvement plan and I offered no support.", [PLAN], share) == [True]


@pytest.mark.parametrize("sentence", [
    "I confirmed the problem with evidence: three reverted pull requests in a month.",
    "It wasn't obvious at first, so I confirmed the problem with evidence from his reviews.",
    "I didn't raise it until I had confirmed the problem with evidence.",  # "not … until": it happened
    "Nobody had noticed the problem, and no one had evidence.",  # the scene, not the candidate's denial
])
def test_affirmed_or_scene_setting_sentences_deny_nothing(sentence):
    assert denied_points(sentence, [EVIDENCE], share) == [False]


def test_the_mask_covers_the_sentence_and_both_pairs_that_hold_it():
    sents = ["We agreed a six-week plan.", "I did not confirm the problem with evidence.", "It worked."]
    mask, named = denial_mask(sents, [EVIDENCE], share)
    # units: three sentences, then the pairs (0, 1) and (1, 2)
    assert mask.tolist() == [[False, True, False, True, True]]


def test_an_answer_that_denies_the_points_does_not_cover_them(backend, lexicon):
    answer = ("I never checked any data and I did not confirm the problem with evidence, I just went "
              "with my gut. There was no improvement plan and I offered no support. He left after "
              "three months.")
    r = analyze(UNDERPERFORMER, answer, backend=backend, lexicon=lexicon)
    evidence, plan, _ = r.talking_points
    assert not evidence.covered and not plan.covered
    assert "did not confirm" not in (evidence.evidence or "")  # nor shown as a near miss


@pytest.mark.parametrize(("sentence", "denies"), [
    ("Honestly, I can't think of a decision I made that was wrong.", True),
    ("I don't really have an example of that.", True),
    ("I couldn't recall the exact numbers, so I pulled them from Grafana.", False),
    ("I remember the day the signals turned bad.", False),
    ("We have never had a P1 since then.", False),  # a result, not a missing example
])
def test_a_sentence_that_says_there_is_no_example_covers_no_point(sentence, denies):
    assert no_example(sentence) is denies
    assert bool(denial_mask([sentence], [EVIDENCE, PLAN], share)[0].all()) is denies


BACKFILL = tuple(content_stems("how you backfilled the affected data"))  # three words


def test_the_candidate_denying_an_action_needs_fewer_of_the_points_words():
    # one word of three: enough when the candidate says they did not do it...
    assert denied_points("I never backfilled the old days.", [BACKFILL], share) == [True]
    # ...not when the sentence only sets the scene
    assert denied_points("There was no backfill job, so I wrote one.", [BACKFILL], share) == [False]


@pytest.mark.parametrize("sentence", [
    "I don't think one backfill method fits every table; I choose by the size of the damage.",  # an opinion
    "What I didn't backfill by hand: the three largest tables, which a job corrected.",  # names a thing
    "I never backfilled without a dry run first.",  # a double negation affirms
    "We had no backfill tooling, so I built it.",  # a state: the scene
    "I'm not sure the backfill was perfect, but the totals matched.",  # a state, however contracted
])
def test_opinions_relative_clauses_double_negations_and_states_deny_nothing(sentence):
    assert denied_points(sentence, [BACKFILL], share) == [False]


def test_a_sentence_listing_what_the_candidate_did_not_do_is_evidence_of_nothing():
    sents = ["We had an outage when a node ran out of disk.",
             "I did not write a postmortem, I did not look for the root cause, and we never added monitoring."]
    mask, named = denial_mask(sents, [EVIDENCE, PLAN], share)
    assert mask[:, 1].all() and not mask[:, 0].any()
    assert not named.any()  # no point denied in its own words: nothing lowered elsewhere


def test_a_point_the_answer_denies_is_harder_to_cover_elsewhere(backend, lexicon, monkeypatch):
    answer = ("I noticed the problem in his reviews that spring. But I did not confirm it with any evidence. "
              "We agreed a six-week plan with pairing.")
    lowered = analyze(UNDERPERFORMER, answer, backend=backend, lexicon=lexicon).talking_points[0]
    monkeypatch.setattr("rehearse.feedback.points.DENIED_ELSEWHERE", 0.0)
    unlowered = analyze(UNDERPERFORMER, answer, backend=backend, lexicon=lexicon).talking_points[0]
    assert 0.0 < unlowered.strength < 1.0  # neither certain: the shift shows
    assert lowered.strength < unlowered.strength


@pytest.mark.parametrize(("sentence", "denies"), [
    ("I didn't write a postmortem, honestly, because we were in the middle of a launch.", True),  # a reason beside
    ("I didn't open an incident channel, and two engineers ended up fixing the same thing.", True),  # a scene beside
    ("I couldn't recall the exact numbers, so I pulled them from Grafana.", False),  # something they did
    ("I didn't just write a doc and leave.", False),  # more, not less
    ("We checked references not only with his boss but with two of his reports.", False),
    ("I didn't blame anyone.", False),  # not doing it is the good part
])
def test_a_denial_with_nothing_the_candidate_did_beside_it_is_evidence_of_nothing(sentence, denies):
    assert denying(sentence) is denies


def test_practices_named_only_in_a_denial_are_not_specifics(backend):
    from rehearse.feedback import analyze

    from .conftest import STRATEGY  # a rubric that names none of these practices itself

    confession = ("When I joined we had six teams and no real incident process. I did not define severity levels, "
                  "I never set up an on-call rotation, and we did not write postmortems.")
    practices = {p.lower() for p in analyze(STRATEGY, confession, backend=backend).specificity.named_practices}
    assert not practices & {"on-call", "postmortems", "on-call rotation"}
    done = confession.replace("I did not define", "I defined").replace("I never set up", "I set up").replace(
        "we did not write", "we wrote")
    assert "postmortems" in {p.lower() for p in analyze(STRATEGY, done, backend=backend).specificity.named_practices}


GAMING = tuple(content_stems("how the team uses the metrics without gaming them"))


@pytest.mark.parametrize(("point", "avoids"), [
    ("how the team uses the metrics without gaming them", True),
    ("decisions made in the room rather than deferred", True),
    ("how you avoided a rewrite", True),
    ("how you confirmed the problem with evidence", False),
    ("the notes you kept", False),  # "not" only as a whole word
])
def test_a_point_about_not_doing_something_is_recognised(point, avoids):
    assert asks_to_avoid(point) is avoids


def test_a_negation_is_what_covers_a_point_about_avoiding_something():
    """"I never use them to rank individuals" is the point "uses the metrics without gaming them",
    not a denial of it; the same sentence still denies a point it negates."""
    sents = ["Metrics start conversations; I never use the metrics to rank individuals."]
    mask, named = denial_mask(sents, [GAMING, EVIDENCE], share, [True, False])
    assert mask[0].tolist() == [False] and not named[0]
    assert denial_mask(sents, [GAMING], share)[0][0].tolist() == [True]  # read as a denial without the flag


def test_no_example_to_tell_covers_no_point_even_one_about_avoiding():
    mask, _named = denial_mask(["I can't think of a time I had to do that."], [GAMING], share, [True])
    assert mask.tolist() == [[True]]


CAUSED_INCIDENT = Question(
    text="Describe an incident your team caused. What did you do during it and afterwards?",
    kind="behavioural",
    talking_points=("how you led the response", "how you ran a blameless review",
                    "the follow-up actions you tracked", "the evidence that recurrence became less likely"),
    example_answer=("Our deploy took checkout down for forty minutes. I took incident command and rolled the "
                    "change back. Two days later I ran a blameless review with the whole team. We tracked "
                    "five follow-up actions, the largest a config validator in CI. No config incident has "
                    "happened in the nine months since."),
)


def test_a_story_in_which_the_candidate_did_nothing_covers_none_of_their_points(backend, lexicon):
    """A scene close to every point, the candidate's denials and no action of theirs: no point is
    theirs to claim, however close the scene sits to the rubric."""
    answer = ("Last year one of our engineers pushed a config change that took the checkout API down for "
              "about forty minutes. I was on holiday, so I did not lead the response; the on-call engineer "
              "rolled it back on her own. Honestly nothing changed afterwards, and a similar config incident "
              "happened again two months later.")
    r = analyze(CAUSED_INCIDENT, answer, backend=backend, lexicon=lexicon)
    assert r.on_topic and not any(t.covered for t in r.talking_points)
    assert all(t.strength <= 0.45 for t in r.talking_points) and r.score < 50
    assert r.structure.star["action"] is False


def test_a_story_with_a_denial_and_an_action_keeps_its_points(backend, lexicon):
    answer = ("Our deploy took checkout down for forty minutes. I did not wait for the vendor: I took incident "
              "command and rolled the change back within ten minutes. Two days later I ran a blameless review "
              "with the whole team, and we tracked five follow-up actions to completion.")
    r = analyze(CAUSED_INCIDENT, answer, backend=backend, lexicon=lexicon)
    assert r.structure.star["action"] is True and any(t.covered for t in r.talking_points)
