"""The story bank through the pages and the API; suggestions on the practice page."""

import html
import re

from sqlalchemy import select as select_

from rehearse.bank.models import Bank, Question, QuestionCompetency, Role

from .conftest import Browser

STORY = {"title": "The checkout outage", "situation": "Checkout went down for an hour on our busiest day.",
         "task": "I led the response.", "action": "I put every request into one visible list and ranked the "
         "requests with the product leads against company priorities.", "result": "We explained the trade-offs "
         "to every waiting team and cut the wait by 40%.", "competencies": "stakeholders, delivery", "tags": "2024"}


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_write_a_story_see_it_suggested_and_score_it(app, question):
    ann = Browser(app)
    ann.sign_up()
    assert "data-stories-empty" in ann.get("/stories").text
    created = ann.post("/stories", data={"csrf_token": csrf(ann.get("/stories").text), **STORY},
                       follow_redirects=False)
    assert created.status_code == 303
    story_id = int(created.headers["location"].split("?")[0].rsplit("/", 1)[1])
    practice = ann.get(f"/practice/{question['id']}/stories").text
    assert f'data-suggested-story="{story_id}"' in practice and "covers" in practice
    scored = ann.get(f"/stories/{story_id}/score", params={"question_id": question["id"]})
    assert scored.status_code == 200 and "data-story-score" in scored.text
    api = ann.get("/api/stories/suggestions", params={"question_id": question["id"]}).json()
    assert api[0]["story_id"] == story_id and api[0]["measure"]
    report = ann.post(f"/api/stories/{story_id}/score", json={"question_id": question["id"]}).json()["report"]
    assert report["score"] == int(re.search(r'data-story-score="(\d+)"', scored.text).group(1))


def test_bad_input_is_a_clear_4xx_and_nothing_half_saved(app, question):
    ann = Browser(app)
    ann.sign_up()
    token = csrf(ann.get("/stories").text)
    huge = ann.post("/stories", data={"csrf_token": token, **STORY, "action": "x" * 100_000})
    assert huge.status_code == 413 and "The action is 100,000 characters long" in huge.text
    headers = ann.page_csrf_header()
    api = ann.post("/api/stories", json={"title": "t", "result": "y" * 100_000}, headers=headers)
    assert api.status_code == 413 and "result" in api.json()["detail"]
    assert ann.get("/api/stories").json() == []
    story = ann.post("/api/stories", json={"title": "Kept", "action": "I did it."}, headers=headers).json()
    edit = ann.put(f"/api/stories/{story['id']}", json={"title": "", "action": "changed"}, headers=headers)
    assert edit.status_code == 422
    assert ann.get(f"/api/stories/{story['id']}").json()["action"] == "I did it."
    page_edit = ann.post(f"/stories/{story['id']}", data={"csrf_token": token, "title": "New", "task": "t" * 6000})
    assert page_edit.status_code == 413 and ann.get(f"/api/stories/{story['id']}").json()["title"] == "Kept"
    assert ann.get("/api/stories/suggestions", params={"question_id": 2**31 - 1}).status_code == 404
    assert ann.get("/api/stories/suggestions", params={"question_id": 0}).status_code == 422
    scored = ann.post(f"/api/stories/{story['id']}/score", json={"question_id": str(question["id"])}, headers=headers)
    assert scored.status_code == 422  # "7" is not a question id, as in every other body of the API
    assert ann.delete(f"/api/stories/{story['id']}", headers=headers).status_code == 204
    assert ann.get(f"/api/stories/{story['id']}").status_code == 404


def test_a_put_with_only_a_title_is_told_that_put_replaces_the_whole_story(app):
    """{"title": ...} alone was told to write a situation, task, action or result, as if a PUT changed one field."""
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    story = ann.post("/api/stories", json={"title": "Kept", "action": "I did it.", "tags": ["q3"]},
                     headers=headers).json()
    refused = ann.put(f"/api/stories/{story['id']}", json={"title": "Renamed"}, headers=headers)
    assert refused.status_code == 422 and refused.json()["detail"] == (
        "Write at least one of situation, task, action and result. PUT replaces the whole story, so the fields it "
        "leaves out are emptied; this one leaves out situation, task, action, result, competencies and tags.")
    whole = {**{k: story[k] for k in ("situation", "task", "action", "result", "competencies", "tags")},
             "title": "Renamed"}
    assert ann.put(f"/api/stories/{story['id']}", json=whole, headers=headers).json()["title"] == "Renamed"


def test_tags_hold_no_comma_so_the_story_form_gives_back_what_the_api_stored(app):
    """The form separates tags with commas: a tag "a,b" from the API came back from an unchanged save as two."""
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    for field in ("tags", "competencies"):
        refused = ann.post("/api/stories", json={"title": "t", "action": "I did it.", field: ["a,b", "a"]},
                           headers=headers)
        assert refused.status_code == 422 and "cannot hold a comma ('a,b')" in refused.json()["detail"]
    assert ann.get("/api/stories").json() == []
    story = ann.post("/api/stories", json={"title": "Tagged", "action": "I did it.", "tags": ["on call", "q3"],
                                           "competencies": ["incidents", "hiring"]}, headers=headers).json()
    page = ann.get(f"/stories/{story['id']}").text
    fields = {name: html.unescape(re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1))
              for name in ("title", "competencies", "tags")}
    saved = ann.post(f"/stories/{story['id']}", data={"csrf_token": csrf(page), "action": "I did it.", **fields})
    assert saved.status_code in (200, 303)
    again = ann.get(f"/api/stories/{story['id']}").json()
    assert (again["tags"], again["competencies"]) == (story["tags"], story["competencies"]) == (
        ["on-call", "q3"], ["incidents", "hiring"])


def test_text_that_shows_nothing_is_empty_in_the_form_and_the_api(app):
    """Zero-width spaces, a word joiner and non-breaking spaces were saved as a story listed by a link that
    showed nothing, and as tags of nothing."""
    ann = Browser(app)
    ann.sign_up()
    token = csrf(ann.get("/stories").text)
    page = ann.post("/stories", data={"csrf_token": token, **STORY, "title": "\u200b\u2060\u00a0"})
    assert page.status_code == 422 and "Give the story a title." in page.text
    parts = {part: "\u200b" for part in ("situation", "task", "action", "result")}
    page = ann.post("/stories", data={"csrf_token": token, **STORY, **parts})
    assert page.status_code == 422 and "Write at least one of situation, task, action and result." in page.text
    headers = ann.page_csrf_header()
    for body, detail in [({"title": "\u200b"}, "Give the story a title."),
                         ({"title": "t", "action": "\u2060\u00a0"}, "Write at least one"),
                         ({"title": "t", "tags": ["q3", "\u200b"]}, "Tag 2 is empty"),
                         ({"title": "t", "competencies": ["\u00a0\u200b"]}, "Competency 1 is empty")]:
        refused = ann.post("/api/stories", json={"action": "I did it.", **body}, headers=headers)
        assert refused.status_code == 422 and detail in refused.json()["detail"], body
    assert ann.get("/api/stories").json() == []
    # in the form's comma-separated list, a name that shows nothing is no name (as a trailing comma is)
    saved = ann.post("/stories", data={"csrf_token": token, **STORY, "tags": "\u200b, q3, \u00a0,",
                                       "competencies": "hiring, \u2060"}, follow_redirects=False)
    assert saved.status_code == 303
    (story,) = ann.get("/api/stories").json()
    assert (story["tags"], story["competencies"]) == (["q3"], ["hiring"])


def test_the_mock_page_shows_its_question_first_and_the_stories_that_fit_come_after(app, question, monkeypatch):
    """Finding the stories that fit scores each candidate with the engine (11.8 s with 27 stories), and the
    question's clock ran meanwhile: the page is shown without them and loads them from /mocks/N/stories."""
    from rehearse.stories import service as stories

    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    mock = ann.post("/api/mocks", json={"role": question["role_slug"], "questions": 1, "follow_ups": False},
                    headers=headers).json()
    asked, item = mock["items"][0]["question_id"], mock["current_item_id"]
    # a story told as the asked question's example answer fits it, whichever question the draw gave
    example = ann.get(f"/api/questions/{asked}").json()["example_answer"]
    story = {**STORY, "situation": "", "task": "", "result": "", "action": example}
    story_id = int(ann.post("/stories", data={"csrf_token": csrf(ann.get("/stories").text), **story},
                            follow_redirects=False).headers["location"].split("?")[0].rsplit("/", 1)[1])
    worked_out = []
    suggest = stories.suggest
    monkeypatch.setattr(stories, "suggest", lambda *args, **kwargs: worked_out.append(1) or suggest(*args, **kwargs))
    interview = ann.get(f"/mocks/{mock['id']}").text
    assert worked_out == [] and "data-suggested-story" not in interview  # the question first, at once
    where = f"/mocks/{mock['id']}/stories?item={item}"
    assert f'data-story-suggestions-from="{where}"' in interview and f'href="{where}"' in interview  # no script: a link
    page = ann.get(where).text
    assert worked_out == [1]
    wanted = ann.get("/api/stories/suggestions", params={"question_id": asked}).json()
    assert [int(i) for i in re.findall(r'data-suggested-story="(\d+)"', page)] == [s["story_id"] for s in wanted]
    assert story_id in [s["story_id"] for s in wanted]
    assert ("covers " in page or "covers none of the talking points" in page)
    assert f'/stories/{story_id}/score?question_id={asked}' in page


def test_the_practice_page_is_shown_first_and_the_stories_that_fit_come_after(app, question, monkeypatch):
    """Finding the stories that fit scores up to six of them with the engine (about 0.3 s each), and the practice
    page waited for that: it is shown without them and loads them from /practice/N/stories."""
    from rehearse.stories import service as stories

    ann, bob = Browser(app), Browser(app)
    ann.sign_up()
    bob.sign_up()
    q = question["id"]
    where = f"/practice/{q}/stories"
    assert "data-story-suggestions-from" not in ann.get(f"/practice/{q}").text  # no stories: nothing to load
    # a story told as the question's example answer fits it
    example = ann.get(f"/api/questions/{q}").json()["example_answer"]
    story = {**STORY, "title": "Ann's own story", "situation": "", "task": "", "result": "", "action": example}
    story_id = int(ann.post("/stories", data={"csrf_token": csrf(ann.get("/stories").text), **story},
                            follow_redirects=False).headers["location"].split("?")[0].rsplit("/", 1)[1])
    worked_out = []
    suggest = stories.suggest
    monkeypatch.setattr(stories, "suggest", lambda *args, **kwargs: worked_out.append(1) or suggest(*args, **kwargs))
    practice = ann.get(f"/practice/{q}").text
    assert worked_out == [] and "data-suggested-story" not in practice  # the question first, at once
    assert f'data-story-suggestions-from="{where}"' in practice and f'href="{where}"' in practice  # no script: a link
    page = ann.get(where)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store" and worked_out == [1]
    wanted = ann.get("/api/stories/suggestions", params={"question_id": q}).json()
    assert story_id in [s["story_id"] for s in wanted]
    assert [int(i) for i in re.findall(r'data-suggested-story="(\d+)"', page.text)] == [s["story_id"] for s in wanted]
    assert f"/stories/{story_id}/score?question_id={q}" in page.text
    # Bob has no story: the route shows none of Ann's; with one of his own that fits, his and only his
    theirs = bob.get(where)
    assert theirs.status_code == 200 and "data-no-story-fits" in theirs.text
    assert "data-suggested-story" not in theirs.text and "Ann's own story" not in html.unescape(theirs.text)
    bobs = int(bob.post("/stories", data={"csrf_token": csrf(bob.get("/stories").text),
                                          **{**story, "title": "Bob's own story"}},
                        follow_redirects=False).headers["location"].split("?")[0].rsplit("/", 1)[1])
    assert f'data-story-suggestions-from="{where}"' in bob.get(f"/practice/{q}").text
    theirs = html.unescape(bob.get(where).text)
    assert re.findall(r'data-suggested-story="(\d+)"', theirs) == [str(bobs)] and "Ann's own story" not in theirs
    # anonymous: the page offers nothing, and the route asks to sign in (as the mock's does)
    visitor = Browser(app)
    assert "data-story-suggestions-from" not in visitor.get(f"/practice/{q}").text
    asked = visitor.get(where, follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"].startswith("/signin")
    assert ann.get(f"/practice/{2**31 - 1}/stories").status_code == 404


def test_deleting_a_story_asks_first_then_says_it_is_done(app):
    ann = Browser(app)
    ann.sign_up()
    story_id = int(ann.post("/stories", data={"csrf_token": csrf(ann.get("/stories").text), **STORY},
                            follow_redirects=False).headers["location"].split("?")[0].rsplit("/", 1)[1])
    edit = ann.get(f"/stories/{story_id}").text
    # Not a button beside Save: a link to a page that asks (it needs no script).
    assert f'action="/stories/{story_id}/delete"' not in edit
    assert f'href="/stories/{story_id}/delete" data-action="delete-story"' in edit
    confirm = ann.get(f"/stories/{story_id}/delete")
    assert confirm.status_code == 200 and 'data-confirm="delete-story"' in confirm.text
    assert "Delete “The checkout outage”?" in confirm.text and f'href="/stories/{story_id}"' in confirm.text
    assert ann.get(f"/api/stories/{story_id}").status_code == 200  # asking deleted nothing
    gone = ann.post(f"/stories/{story_id}/delete", data={"csrf_token": csrf(confirm.text)}, follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == "/stories?deleted=1"
    landed = ann.get(gone.headers["location"]).text
    assert "data-story-deleted" in landed and "Story deleted." in landed
    assert "data-story-deleted" not in ann.get("/stories").text
    assert ann.get(f"/api/stories/{story_id}").status_code == 404
    assert ann.get(f"/stories/{story_id}/delete").status_code == 404


def test_competencies_are_shown_as_words_though_kept_as_slugs(app):
    ann = Browser(app)
    ann.sign_up()
    story = {**STORY, "competencies": "performance management, Hiring"}
    created = ann.post("/stories", data={"csrf_token": csrf(ann.get("/stories").text), **story},
                       follow_redirects=False)
    story_id = int(created.headers["location"].split("?")[0].rsplit("/", 1)[1])
    assert ann.get(f"/api/stories/{story_id}").json()["competencies"] == ["performance-management", "hiring"]
    assert "performance management, hiring" in ann.get("/stories").text
    assert 'value="performance management, hiring"' in ann.get(f"/stories/{story_id}").text


def test_each_story_field_is_described_by_its_hint(app):
    """A screen reader said "Competencies" and never that they are comma-separated: the hints sat beside the
    labels, tied to nothing."""
    ann = Browser(app)
    ann.sign_up()
    page = ann.get("/stories").text
    for field in ("situation", "task", "action", "result", "competencies", "tags"):
        control = re.search(rf'<(?:input|textarea) id="story-{field}"[^>]*>', page).group(0)
        described = re.search(r'aria-describedby="([^"]+)"', control).group(1)
        hint = re.search(rf'<span class="hint" id="{described}">([^<]+)</span>', page).group(1)
        assert hint.strip()
        if field in ("competencies", "tags"):
            assert hint.startswith("Comma-separated")


def test_saving_a_story_says_so_after_creating_it_and_after_editing_it(app):
    ann = Browser(app)
    ann.sign_up()
    created = ann.post("/stories", data={"csrf_token": csrf(ann.get("/stories").text), **STORY},
                       follow_redirects=False)
    story_page = ann.get(created.headers["location"]).text
    assert '<p class="callout success" role="status" data-saved>Story saved.' in story_page
    story_id = int(created.headers["location"].split("?")[0].rsplit("/", 1)[1])
    edited = ann.post(f"/stories/{story_id}", data={"csrf_token": csrf(story_page), **STORY, "tags": "2025"})
    assert edited.status_code == 200 and 'role="status" data-saved>Story saved.</p>' in edited.text
    assert "data-saved" not in ann.get(f"/stories/{story_id}").text  # only right after saving
    refused = ann.post(f"/stories/{story_id}", data={"csrf_token": csrf(story_page), **STORY, "action": "x" * 100_000})
    assert refused.status_code >= 400 and "data-saved" not in refused.text


def test_the_questions_to_score_a_story_against_come_by_fit_then_role_by_role_in_bank_order(app):
    ann = Browser(app)
    ann.sign_up()
    created = ann.post("/stories", data={"csrf_token": csrf(ann.get("/stories").text), **STORY},
                       follow_redirects=False)
    page = ann.get(created.headers["location"]).text
    select = page[page.index('id="score-question"'):page.index("</select>")]
    groups = [(html.unescape(label), [int(i) for i in re.findall(r'<option value="(\d+)"', body)])
              for label, body in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)]
    with app.state.database.transaction() as session:
        rows = session.execute(select_(Question.id, Role.name, Bank.name, Role.position, Question.position)
                               .join(Role, Role.id == Question.role_id).join(Bank, Bank.id == Role.bank_id)).all()
        shared = {c.question_id: c for c in session.scalars(select_(QuestionCompetency).where(
            QuestionCompetency.name.in_(["stakeholders", "delivery"])))}
        fits = {qid: sum(1 for c in session.scalars(select_(QuestionCompetency.name).where(
            QuestionCompetency.question_id == qid)) if c in ("stakeholders", "delivery")) for qid in shared}
    place = {qid: (bank, role_position, position) for qid, _role, bank, role_position, position in rows}
    role_of = {qid: role for qid, role, *_ in rows}

    (first, fitting), *by_role = groups
    assert first == "On this story's competencies" and set(fitting) <= set(shared) and fitting
    assert fitting == sorted(fitting, key=lambda qid: (-fits[qid], place[qid]))  # most shared first, then bank order
    assert by_role, "the 60 offered run past the fitting ones into the other roles"
    assert [label for label, _ in by_role] == [role_of[ids[0]] for _, ids in by_role]  # one group per role
    rest = [qid for _, ids in by_role for qid in ids]
    assert not set(rest) & set(shared)
    assert rest == sorted(rest, key=place.__getitem__)  # roles in the banks' order, questions in their role's
    assert len(fitting) + len(rest) == 60
