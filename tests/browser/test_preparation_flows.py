"""Mock interviews and the review queue in a real browser."""

import re

import pytest

from .helpers import PASSWORD, STRONG, platform_question, sign_up

pytestmark = pytest.mark.browser
WEAK = "I worked on it with the team and it went well."
SCORING_MS = 60_000  # the first answer may wait for the model to load


def answer_question(page, text: str) -> None:
    """Submit a practice answer and wait for its report (the first may wait for the model)."""
    page.fill("[data-answer-form] [data-answer]", text)
    page.click("[data-answer-form] [data-submit]", no_wait_after=True)
    page.wait_for_selector("[data-report]", timeout=SCORING_MS)


def send(page) -> None:
    """Click Next; the next question (or the report) comes once the answer is scored."""
    page.click("[data-mock-answer-form] [data-submit]", no_wait_after=True)
    page.wait_for_load_state("load", timeout=SCORING_MS)


def test_a_two_question_mock_with_a_follow_up_resumed_after_a_reload(page, screenshots):
    page.clock.install()  # the countdown runs on Playwright's clock, so "time runs out" takes no real time
    sign_up(page)
    question = platform_question(page)
    page.goto(f"/roles/{question['role_slug']}")
    page.click("[data-action=mock-role]")
    page.fill("[data-field=questions]", "2")
    page.fill("[data-field=minutes]", "0.5")
    page.click("[data-mock-form] [data-submit]")
    page.wait_for_selector("[data-mock-question]")
    assert page.text_content("[data-countdown]").strip() in ("0:30", "0:29")
    first = page.text_content("[data-mock-question]")

    # Type half an answer, reload: the same question, the draft kept, the clock still running.
    page.fill("[data-answer]", WEAK)
    page.reload()
    page.wait_for_selector("[data-mock-question]")
    assert page.text_content("[data-mock-question]") == first
    assert page.input_value("[data-answer]") == WEAK
    send(page)

    # The follow-up asks for what the answer missed; let its time run out: it is sent as it is.
    page.wait_for_selector("[data-follow-up]", timeout=SCORING_MS)
    assert page.text_content("[data-mock-question]").startswith("You didn")
    page.screenshot(path=screenshots / "mock-follow-up.png", full_page=True)
    page.fill("[data-answer]", "I would measure it every week.")
    page.clock.run_for(31_000)
    page.wait_for_function("() => !document.querySelector('[data-follow-up]')", timeout=SCORING_MS)

    # Second question, then its follow-up (if any), answered in time.
    for _ in range(2):
        page.wait_for_selector("[data-mock-question], [data-mock-report]", timeout=SCORING_MS)
        if page.locator("[data-mock-report]").count():
            break
        page.fill("[data-answer]", STRONG)
        send(page)
    page.wait_for_selector("[data-mock-report]", timeout=SCORING_MS)
    assert page.locator("[data-mock-result]").count() == 2
    assert page.locator("[data-mock-result='1'] [data-mock-follow-up]").count() == 1
    assert "(time ran out)" not in page.text_content("[data-mock-result='1'] > p")
    chart = page.locator("[data-chart=competencies]")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    page.screenshot(path=screenshots / "mock-report.png", full_page=True)
    page.click("[data-action=share]")
    link = page.get_attribute("[data-share-link]", "href")
    assert link.startswith("http") and page.text_content("[data-share-url]") == link  # the full address
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("[data-action=copy-share]")
    page.wait_for_selector("[data-copy-status]:has-text('Copied.')")
    assert page.evaluate("navigator.clipboard.readText()") == link
    page.click("[data-action=revoke-share]")
    assert page.request.get(link).status == 404
    assert page.script_errors == []


def test_the_review_queue_after_answering(page, screenshots):
    sign_up(page)
    page.goto("/review")
    page.wait_for_selector("[data-review-empty]")
    question = platform_question(page)
    page.goto(f"/practice/{question['id']}")
    answer_question(page, "I don't know.")
    page.wait_for_selector("[data-review-rating]")
    page.click("[data-rate=again]")
    page.wait_for_selector("[data-review-rating=again]")
    # Again brings the question back within minutes: jump the browser's clock? No, the server decides:
    # the queue says when, and the coming-week table counts it due now or later today, once.
    page.goto("/review")
    assert page.locator("[data-review-done], [data-due-list]").count() == 1
    now, later = (int(page.text_content(f"[data-outlook={row}] td")) for row in ("due-now", "later-today"))
    assert now + later == 1
    assert now == page.locator("[data-due-card]").count()  # the table's due now is the queue's
    page.screenshot(path=screenshots / "review.png", full_page=True)
    assert re.search(r"/review$", page.url)
    assert page.script_errors == []


def test_the_dashboard_empty_then_with_data(page, screenshots):
    sign_up(page)
    page.goto("/progress")
    page.wait_for_selector("[data-progress-empty]")
    question = platform_question(page)
    page.goto(f"/practice/{question['id']}")
    answer_question(page, STRONG)
    page.click("[data-nav=progress]")
    page.wait_for_selector("[data-totals]")
    assert page.text_content("[data-total=attempts]") == "1"
    for name in ("score", "coverage", "length", "fillers", "due"):
        image = page.locator(f"img[data-chart={name}]")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), name
    # a strong answer is no weak spot: "needs work" lists only latest scores under 60
    assert page.locator("[data-needs-work-question]").count() == 0
    assert page.locator("[data-needs-work-none]").count() == 1
    page.screenshot(path=screenshots / "progress.png", full_page=True)
    assert page.script_errors == []


def test_a_story_is_suggested_on_the_practice_page(page, screenshots):
    sign_up(page)
    page.goto("/stories")
    page.wait_for_selector("[data-stories-empty]")
    page.fill("[data-field=title]", "The platform queue")
    page.fill("[data-field=situation]", "Five product teams were waiting on one platform team.")
    page.fill("[data-field=action]", "I put every request into one visible list and ranked it with the product "
                                     "leads against company priorities.")
    page.fill("[data-field=result]", "We explained the trade-offs to every waiting team and halved the wait.")
    page.fill("[data-field=competencies]", "stakeholders, delivery")
    page.click("[data-story-form] [data-submit]")
    page.wait_for_selector("[data-story-title]")
    question = platform_question(page)
    # The page is shown first; the stories that fit are scored to say why, and come after it.
    page.goto(f"/practice/{question['id']}")
    assert page.locator("[data-answer-form]").count() == 1
    page.wait_for_selector("[data-story-suggestions] [data-suggested-story]", state="attached", timeout=SCORING_MS)
    assert page.locator("[data-story-suggestions-from] [data-action=story-suggestions]").count() == 0  # replaced
    suggestions = page.locator("[data-story-suggestions]")
    suggestions.locator("summary").click()
    story = suggestions.locator("[data-suggested-story]").first
    assert "The platform queue" in story.text_content() and "covers" in story.text_content()
    page.screenshot(path=screenshots / "story-suggested.png")
    story.get_by_text("Score it against this question").click()
    page.wait_for_selector("[data-story-score]", timeout=SCORING_MS)
    assert page.script_errors == []


def test_a_spoken_mock_shows_the_recorder_and_still_takes_a_typed_answer(page):
    sign_up(page)
    if not page.request.get("/api/speech").json()["available"]:
        pytest.skip("spoken answers are not available on this server")
    question = platform_question(page)
    page.goto(f"/roles/{question['role_slug']}")
    page.click("[data-action=mock-role]")
    page.fill("[data-field=questions]", "1")
    page.check("[data-field=mode-spoken]")
    page.uncheck("[data-field=follow-ups]")
    page.click("[data-mock-form] [data-submit]")
    page.wait_for_selector("[data-recorder]")
    page.fill("[data-answer]", STRONG)
    send(page)
    page.wait_for_selector("[data-mock-report]", timeout=SCORING_MS)
    assert page.script_errors == []


DRAFT_KEYS = "() => Object.keys(localStorage).filter(k => k.startsWith('rehearse-mock-draft-'))"


def test_an_answer_sent_while_the_server_is_down_is_still_there_when_it_is_back(page):
    """Closing the tab or a restarting server must not lose what was typed: the draft stays in the
    browser until the server has the answer, and goes once the mock moves on."""
    sign_up(page)
    question = platform_question(page)
    page.goto(f"/roles/{question['role_slug']}")
    page.click("[data-action=mock-role]")
    page.fill("[data-field=questions]", "1")
    page.uncheck("[data-field=follow-ups]")
    page.click("[data-mock-form] [data-submit]")
    page.wait_for_selector("[data-mock-question]")
    page.wait_for_load_state("domcontentloaded")  # the page's deferred script has run
    address = page.url
    page.route("**/answer", lambda route: route.abort("connectionrefused"))  # the server is down
    page.fill("[data-answer]", STRONG)
    with page.expect_event("requestfailed"):
        page.click("[data-mock-answer-form] [data-submit]", no_wait_after=True)
    page.unroute("**/answer")
    page.goto(address)  # the server is back
    assert page.input_value("[data-answer]") == STRONG
    send(page)
    page.wait_for_selector("[data-mock-report]", timeout=SCORING_MS)
    assert page.evaluate(DRAFT_KEYS) == []  # the answer is on the server: no copy left in the browser
    assert page.script_errors == []


def start_mock(page, questions: str) -> int:
    """A typed mock without follow-ups from the role page's link; its id."""
    question = platform_question(page)
    page.goto(f"/roles/{question['role_slug']}")
    page.click("[data-action=mock-role]")
    page.fill("[data-field=questions]", questions)
    page.uncheck("[data-field=follow-ups]")
    page.click("[data-mock-form] [data-submit]")
    page.wait_for_selector("[data-mock-question]")
    page.wait_for_load_state("domcontentloaded")  # the page's deferred script has run
    return int(page.url.rsplit("/", 1)[1])


def test_no_draft_stays_in_the_browser_once_its_answer_is_stored_or_its_mock_is_gone(page):
    """An answer's text must not stay behind on a shared computer once the server has it, however the
    mock went on: sent from a restored draft, finished on another device, or abandoned."""
    email = sign_up(page)
    start_mock(page, "2")
    assert page.get_attribute("[data-answer]", "required") is not None  # Next needs an answer while time is left
    page.fill("[data-answer]", STRONG)
    page.reload()  # the draft comes back, and is sent as it is
    assert page.input_value("[data-answer]") == STRONG
    send(page)
    page.wait_for_selector("[data-mock-question]", timeout=SCORING_MS)
    assert page.evaluate(DRAFT_KEYS) == []
    page.fill("[data-answer]", WEAK)  # a draft for the second question, then the mock is abandoned
    page.click("[data-action=abandon-mock]")
    page.click("[data-action=confirm-abandon-mock]")
    page.wait_for_selector("[data-mock-abandoned]")
    assert page.evaluate(DRAFT_KEYS) == []  # SQLite may give the next mock its id: no stale draft to restore

    second = start_mock(page, "1")
    page.fill("[data-answer]", WEAK)
    item = int(page.get_attribute("[data-mock-item]", "data-mock-item"))
    # The same account answers on another device (or with the API, or in the terminal).
    token = page.request.post("/api/auth/token", data={"email": email, "password": PASSWORD}).json()["token"]
    done = page.request.post(f"/api/mocks/{second}/answers", data={"item_id": item, "answer": STRONG},
                             headers={"Authorization": f"Bearer {token}"})
    assert done.json()["status"] == "finished"
    drafts = page.get_attribute("[data-mock-drafts]", "data-mock-drafts")
    assert drafts.startswith(f"{second}.") and page.evaluate(DRAFT_KEYS) == [f"rehearse-mock-draft-{drafts}-{item}"]
    page.goto("/mock")  # the list of mocks knows it is finished
    page.wait_for_load_state("domcontentloaded")
    assert page.evaluate(DRAFT_KEYS) == []
    assert page.script_errors == []


def test_the_mock_question_comes_first_and_the_stories_that_fit_it_load_after(page):
    """Working out which stories fit took seconds off the question's clock; the page now fetches them once shown."""
    sign_up(page)
    mock_id = start_mock(page, "1")
    asked = page.request.get(f"/api/mocks/{mock_id}").json()["items"][0]["question_id"]
    example = page.request.get(f"/api/questions/{asked}").json()["example_answer"]
    page.goto("/stories")
    page.fill("[data-field=title]", "The one that fits")
    page.fill("[data-field=action]", example)  # told as the question's example answer: it fits
    page.click("[data-story-form] [data-submit]")
    page.wait_for_selector("[data-story-title]")
    page.goto(f"/mocks/{mock_id}")
    assert page.locator("[data-countdown]").count() == 1
    page.wait_for_selector("[data-story-suggestions] [data-suggested-story]", state="attached", timeout=SCORING_MS)
    assert "The one that fits" in page.text_content("[data-story-suggestions]")
    assert page.locator("[data-story-suggestions-from] [data-action=story-suggestions]").count() == 0  # replaced
    assert page.script_errors == []


def test_two_tabs_on_one_question_the_second_answer_is_shown_back_and_its_draft_kept(page):
    """Tab 2's other answer was dropped with no word, and its draft deleted: the mock had moved on. Now the server
    says it was not kept, the page shows it to copy, and the draft stays in the browser."""
    sign_up(page)
    start_mock(page, "2")
    other = page.context.new_page()
    other.script_errors = []
    other.on("pageerror", lambda error: other.script_errors.append(str(error)))
    other.goto(page.url)
    other.wait_for_load_state("domcontentloaded")
    item = page.get_attribute("[data-mock-item]", "data-mock-item")
    page.fill("[data-answer]", STRONG)
    other.fill("[data-answer]", WEAK)
    send(page)
    page.wait_for_selector("[data-mock-question]", timeout=SCORING_MS)
    assert page.get_attribute("[data-mock-item]", "data-mock-item") != item
    send(other)
    other.wait_for_selector("[data-mock-unsent]", timeout=SCORING_MS)
    assert "was not kept" in other.text_content("[data-mock-unsent]")
    assert other.input_value("[data-unsent-answer]") == WEAK  # there to copy
    assert other.input_value("[data-answer]") == ""  # not put in the next question's box
    # the address is the mock's again, not the form's target: a reload shows the interview, sending nothing
    assert other.url == page.url
    methods = []
    other.on("request", lambda request: methods.append(request.method) if request.resource_type == "document"
             else None)
    other.reload()
    other.wait_for_load_state("domcontentloaded")
    assert methods == ["GET"] and other.locator("[data-mock-unsent]").count() == 0
    drafts = other.get_attribute("[data-mock-drafts]", "data-mock-drafts")
    assert other.evaluate(f"() => localStorage.getItem('rehearse-mock-draft-{drafts}-{item}')") == WEAK
    page.reload()  # the first tab's next page keeps it too: the server holds another text for that question
    page.wait_for_load_state("domcontentloaded")
    assert page.evaluate(f"() => localStorage.getItem('rehearse-mock-draft-{drafts}-{item}')") == WEAK
    assert page.script_errors == [] and other.script_errors == []


def start_one_question_mock(page, minutes: str, follow_ups: bool = False) -> None:
    """Sign up and start a one-question mock (without follow-ups unless asked), its countdown on Playwright's
    clock."""
    page.clock.install()
    sign_up(page)
    question = platform_question(page)
    page.goto(f"/roles/{question['role_slug']}")
    page.click("[data-action=mock-role]")
    page.fill("[data-field=questions]", "1")
    page.fill("[data-field=minutes]", minutes)
    if not follow_ups:
        page.uncheck("[data-field=follow-ups]")
    page.click("[data-mock-form] [data-submit]")
    page.wait_for_selector("[data-mock-question]")


def test_a_blank_answer_is_refused_in_place_and_the_countdown_still_sends_the_box_at_zero(page):
    """Next with only spaces and newlines keeps the user on the question (the clock running) with the
    reason by the box; at zero the countdown sends the box as it is, as it always did."""
    start_one_question_mock(page, minutes="0.5")
    page.wait_for_load_state("domcontentloaded")
    address, sent = page.url, []
    page.on("request", lambda request: sent.append(request) if request.url.endswith("/answer") else None)
    for blank in ("   \n  \n", ""):
        page.fill("[data-answer]", blank)
        page.click("[data-mock-answer-form] [data-submit]")
        error = page.locator("[data-mock-answer-form] [data-form-error]")
        assert error.count() == 1 and error.text_content().startswith("The answer is empty and this question has ")
        assert page.url == address and sent == [] and page.locator("[data-countdown]").count() == 1
        assert page.evaluate("document.activeElement.matches('[data-answer]')")
    assert page.get_attribute("[data-answer]", "aria-invalid") == "true"

    page.fill("[data-answer]", "   ")
    with page.expect_request("**/answer") as request:
        page.clock.run_for(31_000)  # zero: the countdown sends what is there, refused in place or not
    form = request.value.post_data
    assert "timed_out=1" in form and "answer=+++" in form
    page.wait_for_load_state("load")
    assert page.script_errors == []


def test_the_countdown_is_read_out_at_30_and_10_seconds_only(page):
    """A screen reader hears "30 seconds left" and "10 seconds left", once each, and never the clock's
    every second over the answer being typed."""
    start_one_question_mock(page, minutes="1")
    page.evaluate("""() => { window.clockChanges = 0; new MutationObserver(() => window.clockChanges++)
        .observe(document.querySelector('[data-countdown]'), {childList: true, characterData: true, subtree: true}); }""")
    warning = page.locator("[data-countdown-warning]")
    assert warning.text_content() == "" and warning.get_attribute("role") == "status"
    page.clock.run_for(31_000)
    assert warning.text_content() == "30 seconds left."
    page.clock.run_for(20_000)
    assert warning.text_content() == "10 seconds left."
    assert page.get_attribute("[data-countdown]", "aria-live") == "off"
    # rewritten once a second (it ticks four times a second), not on every tick
    assert 45 <= page.evaluate("window.clockChanges") <= 55
    assert page.script_errors == []


def test_each_question_page_is_named_by_its_number_and_starts_at_the_answer_box(page):
    """Every question had the same title and began at the top of the page, 14 tabs from the box; a question
    opening with 30 s had "30 seconds left" said at once."""
    page.clock.install()
    sign_up(page)
    question = platform_question(page)
    page.goto(f"/roles/{question['role_slug']}")
    page.click("[data-action=mock-role]")
    page.fill("[data-field=questions]", "2")
    page.fill("[data-field=minutes]", "0.5")
    page.uncheck("[data-field=follow-ups]")
    page.click("[data-mock-form] [data-submit]")
    page.wait_for_selector("[data-mock-question]")
    page.wait_for_load_state("load")
    assert page.title().startswith("Question 1 of 2 — ")
    assert page.evaluate("document.activeElement.matches('[data-answer]')")
    assert page.get_attribute("[data-answer]", "aria-describedby") == "mock-question"  # the question is read too
    warning = page.locator("[data-countdown-warning]")
    page.clock.run_for(2_000)
    assert warning.text_content() == ""  # opened with 30 s: no "30 seconds left" straight away
    page.clock.run_for(19_000)
    assert warning.text_content() == "10 seconds left."
    page.fill("[data-answer]", STRONG)
    send(page)
    page.wait_for_selector("[data-mock-question]", timeout=SCORING_MS)
    assert page.title().startswith("Question 2 of 2 — ")
    assert page.evaluate("document.activeElement.matches('[data-answer]')")
    assert page.script_errors == []


def test_a_draft_of_an_abandoned_mock_does_not_come_back_in_a_new_mock_with_its_id(page):
    """SQLite gives the next mock the id of one abandoned; a draft left under that id (a mock abandoned
    through the API, say) is another mock's and stays out of the box, and the start page clears it."""
    sign_up(page)
    mock_id = start_mock(page, "1")
    item = page.get_attribute("[data-mock-item]", "data-mock-item")
    drafts = page.get_attribute("[data-mock-drafts]", "data-mock-drafts")
    assert drafts.startswith(f"{mock_id}.")
    stale = [f"rehearse-mock-draft-{mock_id}.20200101000000000000-{item}", f"rehearse-mock-draft-{mock_id}-{item}"]
    page.evaluate("keys => keys.forEach(k => localStorage.setItem(k, 'an answer to another mock'))", stale)
    page.reload()
    page.wait_for_load_state("domcontentloaded")
    assert page.input_value("[data-answer]") == ""
    page.fill("[data-answer]", WEAK)
    assert sorted(page.evaluate(DRAFT_KEYS)) == sorted(stale + [f"rehearse-mock-draft-{drafts}-{item}"])
    page.goto("/mock")  # the start page keeps the drafts of this mock only
    page.wait_for_load_state("domcontentloaded")
    assert page.evaluate(DRAFT_KEYS) == [f"rehearse-mock-draft-{drafts}-{item}"]
    page.goto(f"/mocks/{mock_id}")
    page.wait_for_load_state("domcontentloaded")
    assert page.input_value("[data-answer]") == WEAK
    assert page.script_errors == []


def test_the_prep_sheet_prints_without_the_sites_navigation(page):
    """Printed, the sheet is the sheet: no header, navigation, footer or "Download as PDF"."""
    sign_up(page)
    question = platform_question(page)
    page.goto(f"/prep-sheets/{question['role_slug']}")
    assert page.is_visible(".site-header") and page.is_visible("[data-nav=roles]")  # on the screen, they are
    page.emulate_media(media="print")
    for chrome in (".site-header", "nav[aria-label=Main]", "[data-nav=roles]", ".site-footer", ".skip-link",
                   "[data-action=sheet-pdf]"):
        assert not page.is_visible(chrome), f"{chrome} is printed"
    assert page.is_visible(".sheet h1")
    page.emulate_media(media="screen")


def test_a_follow_up_that_gives_the_missed_point_shows_it_covered_when_asked(page):
    """The end report says what a follow-up's answer covered beside its parent question."""
    start_one_question_mock(page, "3", follow_ups=True)
    asked = page.text_content("[data-mock-question]").strip()
    found = page.request.get("/api/questions", params={"q": asked}).json()
    drawn = next(item for item in found if item["text"] == asked)
    points = page.request.get(f"/api/questions/{drawn['id']}").json()["talking_points"]
    page.fill("[data-answer]", WEAK)  # misses every point: the follow-up asks for the first
    send(page)
    page.wait_for_selector("[data-follow-up=missed_point]", timeout=SCORING_MS)
    assert page.title().startswith("Follow-up to question 1 of 1 — ")
    # each point in its own words and something of substance besides (the points' words alone are an echo of the
    # rubric, which covers nothing since engine 2.14)
    page.fill("[data-answer]", " ".join(f"I made sure of this: {point.rstrip('.')}, at Northwind with my team of "
                                        f"eight engineers over two quarters." for point in points))
    send(page)
    page.wait_for_selector("[data-mock-report]", timeout=SCORING_MS)
    covered = page.text_content("[data-mock-result='1'] [data-covered-when-asked]")
    assert covered.startswith("Covered when asked: ")
    assert covered.removeprefix("Covered when asked: ") in points  # the one point the follow-up asked for
    assert page.locator("[data-mock-result='1'] [data-mock-follow-up]").count() == 1
    assert page.script_errors == []


def test_back_after_next_shows_the_next_question_with_its_own_empty_box(page):
    """Chromium put the last answer back into the next question's box on Back (form restoring; the page has
    the same address and the same box), and Next sent it as that question's answer."""
    sign_up(page)
    start_mock(page, "2")
    first = page.get_attribute("[data-mock-item]", "data-mock-item")
    page.fill("[data-answer]", STRONG)
    send(page)
    page.wait_for_selector("[data-mock-question]", timeout=SCORING_MS)
    second = page.get_attribute("[data-mock-item]", "data-mock-item")
    assert second != first and page.input_value("[data-answer]") == ""
    page.go_back()
    page.wait_for_load_state("load")
    page.wait_for_selector("[data-mock-question]")
    assert page.get_attribute("[data-mock-item]", "data-mock-item") == second
    assert page.input_value("[data-answer]") == ""
    page.fill("[data-answer]", WEAK)  # this question's draft comes back on Back and Forward, not another's
    page.go_back()
    page.go_forward()
    page.wait_for_selector("[data-mock-question]")
    assert page.input_value("[data-answer]") == WEAK
    assert page.script_errors == []
