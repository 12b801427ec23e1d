"""Help us improve this answer, in a real browser with four people: an admin makes an editor; an author
suggests (sees the diff and the engine's report), a voter votes and comments, the editor accepts,
reads the history and reverts. Scripts typed into a suggestion, a reason or a comment stay text."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import free_port, wait_for_server
from .helpers import new_email, platform_question, sign_up

pytestmark = pytest.mark.browser

SCRIPT = '<script>window.pwned = 1; document.title = "pwned"</script><img src=x onerror="window.pwned = 2">'
ADDED = "Every Monday I would review the ranked list with the product leads."


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    """A server of this module's own, so that the first account (the admin) is ours."""
    folder = tmp_path_factory.mktemp("community-serve")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("REHEARSE_")}
    env.update(REHEARSE_DATA_DIR=str(folder / "data"), REHEARSE_DATABASE_URL=f"sqlite:///{folder / 'web.db'}",
               REHEARSE_SECRET_KEY="browser-tests-" + "k" * 40, REHEARSE_FEEDBACK_BACKEND="lexical",
               REHEARSE_SIGNUPS_PER_ADDRESS_PER_HOUR="10000")
    log = folder / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "rehearse", "serve", "--port", str(port)], env=env,
                                   stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, process, log)
        yield url, env
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def set_role(env: dict, email: str, role: str) -> None:
    """The way the first admin is made: the CLI (the web app only ever makes candidates)."""
    done = subprocess.run([sys.executable, "-m", "rehearse", "users", "set-role", email, role], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def person(chromium, fresh_server):
    contexts = []

    def make():
        context = chromium.new_context(base_url=fresh_server[0], viewport={"width": 1280, "height": 900})
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.script_errors, page.dialogs = [], []
        page.on("pageerror", lambda error: page.script_errors.append(str(error)))
        page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


def assert_inert(page) -> None:
    assert page.evaluate("window.pwned") is None and page.title() != "pwned" and page.dialogs == []


def test_suggest_vote_accept_history_revert(person, fresh_server, screenshots):
    admin, author, voter, editor = person(), person(), person(), person()
    set_role(fresh_server[1], sign_up(admin), "admin")
    for page in (author, voter, editor):
        sign_up(page, new_email())
    editor_name = editor.text_content("[data-user]").strip()

    admin.goto("/community/editors")
    row = admin.locator("[data-user-row]", has_text=editor_name)
    row.locator("select[name=role]").select_option("editor")
    row.locator("[data-action=set-role]").click()
    assert admin.locator("[data-user-row]", has_text=editor_name).locator("[data-role]").text_content() == "editor"

    question = platform_question(author)
    author.goto(f"/questions/{question['id']}")
    author.click("[data-action=improve]")
    author.wait_for_selector("[data-suggest-form]")
    original = author.input_value("[data-field=example_answer]")
    author.fill("[data-field=example_answer]", f"{original}\n\n{ADDED} {SCRIPT}")
    author.fill("[data-field=reason]", f"Adds a review cadence. {SCRIPT}")
    # the licence agreement is read before it is ticked: laid out as a line of text, not crushed
    agreement = author.locator("label:has([data-field=accept_licence])").bounding_box()
    form = author.locator("[data-suggest-form]").bounding_box()
    assert agreement["width"] > 0.8 * form["width"] and agreement["height"] < 80, (agreement, form)
    author.check("[data-field=accept_licence]")
    author.click("[data-action=preview]")
    author.wait_for_selector("[data-preview]")
    inserted = " ".join(author.locator("[data-diff-field=example_answer] ins").all_text_contents())
    assert "Every Monday" in inserted and "<script>" in inserted  # the script is shown as text
    assert author.locator("[data-engine-report] [data-report-score]").count() == 1
    assert_inert(author)
    author.click("[data-action=send]")
    author.wait_for_selector("[data-suggestion]")
    suggestion_url = author.url
    assert author.text_content("[data-suggestion-status]") == "pending"
    assert author.locator("[data-vote]").count() == 0  # no voting on one's own suggestion
    assert_inert(author)

    voter.goto(suggestion_url)
    voter.click("[data-vote='1']")
    voter.wait_for_selector("[data-vote='1'][aria-pressed=true]")
    assert voter.text_content("[data-vote-total]") == "1"
    voter.fill("[data-field=comment]", f"Good idea, see [the guide](https://example.com/guide). {SCRIPT}")
    voter.click("[data-action=comment]")
    voter.wait_for_selector("[data-comment-body] a[rel='nofollow ugc']")
    assert "<script>" in voter.text_content("[data-comment-body]")
    assert_inert(voter)

    editor.goto("/community/queue")
    editor.click(f"a[href='{suggestion_url.removeprefix(fresh_server[0])}']")
    editor.wait_for_selector("[data-moderation]")
    assert editor.locator("[data-engine-report]").count() == 1
    assert_inert(editor)
    editor.screenshot(path=screenshots / "community-suggestion.png", full_page=True)
    editor.click("[data-action=accept]")
    editor.wait_for_selector("[data-suggestion-status]:text('accepted')")

    editor.goto(f"/questions/{question['id']}/history")
    newest = editor.locator("[data-revision]").first
    assert newest.locator("[data-revision-author]").text_content() == author.text_content("[data-user]").strip()
    assert "Every Monday" in newest.locator("ins").first.text_content() or "Every Monday" in newest.text_content()
    assert_inert(editor)
    previous = editor.locator("[data-revision]").nth(1)
    previous_number = previous.get_attribute("data-revision")
    previous.locator("input[name=reason]").fill("Back to the shorter answer")
    previous.locator("[data-action=revert]").click()
    editor.wait_for_selector("[data-revision-source]:text('Revert')")
    assert f"restores revision {previous_number}" in editor.locator("[data-revision]").first.text_content()
    editor.screenshot(path=screenshots / "community-history.png", full_page=True)

    author.goto("/")
    author.wait_for_selector("[data-unread-count]:not([hidden])")
    # commented on, accepted, then reverted: the revert undid the author's change, and says so
    assert author.text_content("[data-unread-count]") == "3"
    for page in (admin, author, voter, editor):
        assert page.script_errors == []


def test_the_queue_and_the_accounts_page_fit_a_375_px_screen(chromium, fresh_server, screenshots):
    """Their tables are wider than a phone: each scrolls sideways in a region of its own, and the page
    (whose header stops at the screen's edge) does not."""
    context = chromium.new_context(base_url=fresh_server[0], viewport={"width": 375, "height": 812})
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        page.script_errors = []
        page.on("pageerror", lambda error: page.script_errors.append(str(error)))
        set_role(fresh_server[1], sign_up(page, new_email()), "admin")
        # Something waiting, so that the queue's table has a row as well as its headings.
        question = platform_question(page)
        page.request.post(f"/api/questions/{question['id']}/suggestions",
                          headers={"X-CSRF-Token": page.get_attribute("meta[name=csrf-token]", "content")},
                          data={"example_answer": f"{question['example_answer']} Checked on a phone.",
                                "reason": "A narrow-screen check.", "accept_licence": True})
        for path, region in (("/community/queue", "[data-queue-scroll]"), ("/community/editors", "[data-users-scroll]")):
            page.goto(path)
            page.screenshot(path=screenshots / f"phone-{path.strip('/').replace('/', '-')}.png", full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{path} is {width} px wide on a 375 px screen"
            assert page.locator(region).evaluate("r => r.scrollWidth > r.clientWidth"), f"{path}: nothing to scroll?"
        page.goto("/community/queue")
        page.click("[data-action=editors]")  # the admins' way to the accounts page
        page.wait_for_selector("[data-users]")
        assert page.script_errors == []
    finally:
        context.close()
