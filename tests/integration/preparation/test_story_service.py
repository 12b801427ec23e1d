"""Stories on a real database: checked input, private to their owner, suggested by meaning, scored."""

import pytest

from rehearse.stories import fit
from rehearse.stories import service as stories

INCIDENT = stories.StoryInput(
    title="The checkout outage", situation="Checkout went down for an hour on our busiest day.",
    task="I was the incident commander.", action="I coordinated the response across three teams and "
    "posted updates to customers every thirty minutes.", result="We restored service in 58 minutes and "
    "afterwards added a canary stage, which cut incidents by 40%.", competencies=("Incidents",), tags=("2023",))
HIRING = stories.StoryInput(
    title="Doubling the team", situation="We had to grow from 10 to 20 engineers in a year.",
    task="I owned the hiring plan.", action="I wrote a hiring plan by quarter, trained interviewers and built "
    "a two-week onboarding programme.", result="We hired 11 engineers and kept the bar high.",
    competencies=("hiring",))


def test_stories_are_cleaned_and_private(session, users):
    ann, bob = users
    story = stories.create(session, user=ann, data=INCIDENT)
    assert story.competencies == ["incidents"] and story.tags == ["2023"]
    assert story.text.startswith("Checkout went down") and story.text.endswith("by 40%.")
    assert stories.list_stories(session, user=bob) == []
    for call in (stories.get_or_404, stories.delete):
        with pytest.raises(stories.StoryRejected) as rejected:
            call(session, user=bob, story_id=story.id)
        assert rejected.value.status == 404
    with pytest.raises(stories.StoryRejected):
        stories.update(session, user=bob, story_id=story.id, data=HIRING)
    assert stories.get(session, user=ann, story_id=story.id).title == "The checkout outage"


@pytest.mark.parametrize(("change", "status", "message"), [
    ({"title": ""}, 422, "title"),
    ({"title": "x" * 201}, 422, "201 characters"),
    ({"action": "x" * 100_000}, 413, "The action is 100,000 characters long; the limit is 5,000"),
    ({"situation": "", "task": "", "action": "", "result": ""}, 422, "at least one"),
    ({"result": "nul\x00"}, 400, "NUL"),
    ({"tags": tuple(f"t{i}" for i in range(21))}, 422, "A story has at most 20 tags, not 21."),
    ({"competencies": tuple(f"c{i}" for i in range(21))}, 422, "A story has at most 20 competencies, not 21."),
    ({"competencies": ("x" * 41,)}, 422, "at most 40 characters"),
    # the story form separates them with commas: "a,b" would come back from it as two
    ({"tags": ("a,b", "a")}, 422, "A tag cannot hold a comma \\('a,b'\\)"),
    ({"competencies": ("hiring,coaching",)}, 422, "A competency cannot hold a comma"),
    # text that shows nothing (zero-width spaces, a word joiner, non-breaking spaces) is empty
    ({"title": "\u200b\u2060\u00a0"}, 422, "Give the story a title."),
    ({"situation": "\u200b", "task": "\u2060", "action": "\u00a0\u200b", "result": "\ufeff"}, 422, "at least one"),
    ({"tags": ("2023", "\u200b")}, 422, "Tag 2 is empty: give each tag some words, or leave it out."),
    ({"competencies": ("\u2060\u200b",)}, 422, "Competency 1 is empty"),
    ({"tags": ("",)}, 422, "Tag 1 is empty"),
])
def test_bad_stories_are_refused_with_the_field_and_nothing_is_saved(session, users, change, status, message):
    ann = users[0]
    data = stories.StoryInput(**{**INCIDENT.__dict__, **change})
    with pytest.raises(stories.StoryRejected, match=message) as rejected:
        stories.create(session, user=ann, data=data)
    assert rejected.value.status == status
    assert stories.list_stories(session, user=ann) == []


def test_a_part_that_shows_nothing_is_kept_empty(session, users):
    story = stories.create(session, user=users[0], data=stories.StoryInput(
        **{**INCIDENT.__dict__, "task": "\u200b \u2060", "result": "\u00a0"}))
    assert (story.task, story.result) == ("", "")


@pytest.mark.parametrize("backend", ["lexical", "auto"])
def test_only_the_stories_that_fit_are_suggested_with_why(session, bank, users, backend):
    ann = users[0]
    incident = stories.create(session, user=ann, data=INCIDENT)
    hiring = stories.create(session, user=ann, data=HIRING)
    question = bank["questions"][0]  # a major production incident
    suggested = stories.suggest(session, user=ann, question=question, backend=backend)
    # the hiring story is not offered for an incident: the engine finds it off topic or too thin
    assert [s["story_id"] for s in suggested] == [incident.id]
    best = suggested[0]
    assert best["shared_competencies"] == ["incidents"]
    assert "how you coordinated the response" in best["covers"] and best["score"] >= fit.MIN_STORY_SCORE
    hiring_question = bank["questions"][1]
    assert [s["story_id"] for s in stories.suggest(session, user=ann, question=hiring_question,
                                                    backend=backend)] == [hiring.id]


def test_no_story_fits_a_question_none_of_them_is_about(session, bank, users):
    ann = users[0]
    stories.create(session, user=ann, data=INCIDENT)
    stories.create(session, user=ann, data=HIRING)
    build_or_buy = bank["questions"][3]  # building or buying a billing system
    assert stories.suggest(session, user=ann, question=build_or_buy, backend="auto") == []


@pytest.mark.parametrize(("report", "expected"), [
    ({"on_topic": True, "score": 72}, True),
    ({"on_topic": True, "score": fit.MIN_STORY_SCORE}, True),
    ({"on_topic": True, "score": 39}, False),  # too thin to build the answer on
    ({"on_topic": False, "score": 60}, False),  # off topic: whatever points it seems to touch
    # told in the words of another question of the bank: that question's story (scored 69 on specificity)
    ({"on_topic": True, "score": 69, "relevance_detail": {"bm25_ratio": -0.5}}, False),
    ({"on_topic": True, "score": 92, "relevance_detail": {"bm25_ratio": -0.0125}}, True),  # a near twin's
    ({"on_topic": True, "score": 97, "relevance_detail": {"bm25_ratio": 0.57}}, True),
])
def test_a_story_fits_when_the_engine_finds_it_on_topic_and_worth_it(report, expected):
    assert fit.fits(report) is expected


def test_without_sentence_vectors_word_overlap_ranks_and_says_so(session, bank, users, monkeypatch):
    from rehearse import feedback

    def broken(name):
        raise feedback.BackendUnavailable("no model here")

    monkeypatch.setattr(feedback, "load_backend", broken)
    ann = users[0]
    stories.create(session, user=ann, data=HIRING)
    incident = stories.create(session, user=ann, data=INCIDENT)
    similarities, measure = stories._similarities(bank["questions"][0], stories.list_stories(session, user=ann),
                                                   "auto")
    assert measure == "word overlap"
    ordered = stories.list_stories(session, user=ann)
    assert ordered[similarities.index(max(similarities))].id == incident.id


@pytest.mark.parametrize(("similarities", "competencies", "wanted", "expected"), [
    ([0.2, 0.5, 0.4], [[], [], []], [], [1, 2, 0]),
    ([0.50, 0.48], [[], ["hiring"]], ["hiring"], [1, 0]),  # a shared competency outweighs a small gap
    ([0.60, 0.48], [[], ["hiring"]], ["hiring"], [0, 1]),  # but not a large one
    ([0.3, 0.3, 0.3, 0.3], [[], [], [], []], [], [0, 1, 2]),  # ties keep order; three at most
])
def test_ranking(similarities, competencies, wanted, expected):
    assert [r.index for r in fit.rank(similarities, competencies, wanted)] == expected


def test_a_story_is_scored_against_a_question_with_the_engine(session, bank, users):
    ann = users[0]
    story = stories.create(session, user=ann, data=INCIDENT)
    report = stories.score(session, story=story, question=bank["questions"][0], backend="lexical")
    assert {"score", "talking_points", "structure", "suggestions"} <= set(report)
    assert [p["point"] for p in report["talking_points"]] == bank["questions"][0].talking_points


@pytest.mark.parametrize("backend", ["lexical", "auto"])
def test_a_story_is_scored_with_the_parts_its_form_gave_it(session, bank, users, backend):
    """A scene told in a fragment was read as no Situation, and the story told to "add the missing situation"
    although its Situation field was filled."""
    story = stories.create(session, user=users[0], data=stories.StoryInput(
        title="Retry fight", situation="Checkout team of eight, 2022. Two seniors blocking each other's reviews.",
        task="", action="I met each of them alone, then ran one session where they agreed a merge rule.",
        result="Review time fell from 4 days to 1.5."))
    report = stories.score(session, story=story, question=bank["questions"][4], backend=backend)
    assert report["structure"]["star"] == {"situation": True, "task": False, "action": True, "result": True}
    assert story.told_in_parts.startswith("Situation: Checkout team") and "Task:" not in story.told_in_parts


def test_a_cached_story_report_is_not_given_once_the_question_changes(session, bank, users, editor, monkeypatch):
    """The reports were cached by story, question id and backend: a question whose talking points or example
    answer an accepted suggestion changed kept the report against the old ones (points it no longer has)."""
    from rehearse.community import service as community
    from rehearse.practice import queued_scoring

    ann, question = users[0], bank["questions"][0]
    story = stories.create(session, user=ann, data=INCIDENT)
    scored = []
    score_here = queued_scoring.score_here
    monkeypatch.setattr(queued_scoring, "score_here",
                        lambda *args, **kwargs: scored.append(1) or score_here(*args, **kwargs))
    first = stories.score(session, story=story, question=question, backend="lexical")
    assert stories.score(session, story=story, question=question, backend="lexical") == first
    assert len(scored) == 1  # unchanged question and story: the cached report
    points = [*question.talking_points, "how you kept the team from burning out"]
    suggestion = community.suggest_edit(session, user=ann, question_id=question.id, reason="A missing point.",
                                        accept_licence=True, talking_points=points,
                                        example_answer="I coordinated the response and rested the team after.")
    community.accept(session, editor=editor, suggestion_id=suggestion.id)
    session.refresh(question)
    again = stories.score(session, story=story, question=question, backend="lexical")
    assert len(scored) == 2 and [p["point"] for p in again["talking_points"]] == points
    # only the example answer changes (a new revision): scored anew as well
    suggestion = community.suggest_edit(session, user=ann, question_id=question.id, reason="A clearer example.",
                                        accept_licence=True, example_answer="I led the incident call and then "
                                        "changed how we deploy.")
    community.accept(session, editor=editor, suggestion_id=suggestion.id)
    stories.score(session, story=story, question=question, backend="lexical")
    assert len(scored) == 3


# An outside tester's three stories, as they wrote them.
OUTAGE = stories.StoryInput(
    title="Checkout outage on Black Friday", situation="At Shopfront in 2023 a bad database migration my team "
    "shipped took checkout down for 47 minutes on Black Friday, the biggest sales day of the year.",
    task="As the engineering manager I was incident lead: restore service, keep the business informed, and make "
    "sure it could not happen again.", action="I split the responders into a fix channel and a comms channel, "
    "rolled back the migration myself after twenty minutes of failed forward fixes, and posted updates to the sales "
    "director every ten minutes. Afterwards I ran a blameless postmortem with the whole team and we added "
    "migration dry-runs to the release pipeline.", result="Checkout was back after 47 minutes; we lost about 80,000 "
    "euros of orders. In the following year we had zero migration-related incidents and our change failure rate "
    "dropped from 12% to 4%.", competencies=("incidents", "delivery", "communication"))
PRIYA = stories.StoryInput(
    title="Getting Priya back on track", situation="In 2022 a mid-level engineer, Priya, had her pull requests "
    "stuck in review for a week and missed three sprint goals in a row.", task="I was her manager and had to find "
    "out why and help her recover before it became a formal performance issue.", action="I looked at her cycle "
    "time and review comments first, then raised it directly in our one-on-one with the data. She was struggling "
    "with a new codebase, so we agreed a six-week plan: pairing with a senior twice a week, smaller tickets, and a "
    "Friday check-in on three goals.", result="After six weeks her cycle time went from nine days to three and she "
    "led the next release. I learned to check onboarding before assuming motivation, and I now give everyone who "
    "changes domain a two-week onboarding buddy.", competencies=("people-management", "coaching"))
TECH_DEBT = stories.StoryInput(
    title="Winning a tech-debt quarter from product", situation="In 2024 our build took 40 minutes and flaky tests "
    "blocked a release almost every week, but the roadmap had no room for platform work.", task="I needed my "
    "product manager and the VP of product to agree to spend 20% of the next quarter on technical debt.",
    action="I measured the cost: about 11 engineer-hours a week lost to waiting and re-runs. I put it in euros, "
    "proposed three scoped projects with clear exit criteria, and offered to drop one low-value feature so the "
    "roadmap date still held.", result="They agreed to 20% for one quarter. Build time went from 40 to 12 minutes "
    "and release blockers fell from weekly to once a quarter, and the PM now asks for a debt slot every quarter.",
    competencies=("stakeholders", "technical-debt", "prioritisation"))


@pytest.mark.parametrize(("question", "expected"), [
    ("Tell me about a time you turned around an underperforming engineer.", ["Getting Priya back on track"]),
    ("Describe an incident your team caused", ["Checkout outage on Black Friday"]),
    ("How would you convince your product manager to give the team time", [TECH_DEBT.title]),
    ("Describe a time you convinced leadership to fund a significant technical debt", [TECH_DEBT.title]),
    ("How would you onboard a new engineer joining your fully remote team?", []),
    # the tech-debt story scored 69 here on specificity alone, "covering" what you give up by going into management
    ("Why do you want to be an engineering manager rather than", []),
])
def test_a_story_told_for_another_question_is_not_suggested_with_points_it_does_not_cover(session, users,
                                                                                           question, expected):
    from sqlalchemy import select

    from rehearse.bank.builtin import load_builtin
    from rehearse.bank.models import Question

    load_builtin(session)
    ann = users[0]
    for story in (OUTAGE, PRIYA, TECH_DEBT):
        stories.create(session, user=ann, data=story)
    asked = session.scalar(select(Question).where(Question.text.startswith(question)))
    suggested = stories.suggest(session, user=ann, question=asked, backend="auto")
    assert [s["title"] for s in suggested] == expected


# A second tester's story, short and in its own words: its words matched a career-framework question more
# closely than the question it was written for (word ratio -0.27), so it was never suggested for it.
UNDERPERFORMER = stories.StoryInput(
    title="Turning around an underperformer",
    situation="A senior engineer was missing deadlines and reviews were late.",
    task="As his manager I had to address it fairly.",
    action="I held a candid one-on-one, agreed written expectations with examples, checked in weekly, and offered "
    "pairing with a staff engineer.",
    result="Within eight weeks his delivery was back on track; he was promoted a year later.",
    competencies=("people-management", "coaching"))


@pytest.mark.parametrize(("question", "expected"), [
    ("Tell me about a time you turned around an underperforming engineer.", [UNDERPERFORMER.title]),
    # the words of "missing deadlines" are not a project about to miss its deadline: scored 71, still not offered
    ("Tell me about a project where your team was about to miss its deadline", []),
])
def test_a_story_in_its_own_words_is_suggested_for_the_question_its_meaning_is_closest_to(session, users,
                                                                                          question, expected):
    from sqlalchemy import select

    from rehearse.bank.builtin import load_builtin
    from rehearse.bank.models import Question

    load_builtin(session)
    ann = users[0]
    stories.create(session, user=ann, data=UNDERPERFORMER)
    asked = session.scalar(select(Question).where(Question.text.startswith(question)))
    assert [s["title"] for s in stories.suggest(session, user=ann, question=asked, backend="auto")] == expected


@pytest.mark.parametrize(("meaning_rank", "expected"), [(None, False), (1, True), (fit.MEANING_RANK_WAIVES, True),
                                                        (fit.MEANING_RANK_WAIVES + 1, False)])
def test_the_word_guard_gives_way_only_when_the_meaning_puts_the_question_near_the_top(meaning_rank, expected):
    told_elsewhere = {"on_topic": True, "score": 74, "relevance_detail": {"bm25_ratio": -0.27}}
    assert fit.fits(told_elsewhere, meaning_rank) is expected
    assert fit.fits({"on_topic": True, "score": 30}, 1) is False  # the meaning never rescues a thin answer


def test_a_rank_counts_the_items_strictly_closer():
    assert [fit.rank_of([0.2, 0.9, 0.5, 0.9], i) for i in range(4)] == [4, 1, 3, 1]
