"""The dashboard through the page and the API: empty state, then charts with their tables."""

from .conftest import Browser

ANSWER = ("First, I would put every request in one visible list. Then I would rank it with the product leads "
          "against company priorities, and explain the trade-offs to every waiting team.")


def test_empty_then_with_data(app, question):
    ann = Browser(app)
    ann.sign_up()
    empty = ann.get("/progress")
    assert empty.status_code == 200 and "data-progress-empty" in empty.text and "data-chart=" not in empty.text
    assert ann.get("/api/progress").json()["totals"]["attempts"] == 0
    ann.answer(question["id"], ANSWER)
    page = ann.get("/progress")
    assert "data-progress-empty" not in page.text
    for chart in ("score", "coverage", "length", "fillers", "due"):
        assert f'data-chart="{chart}"' in page.text, chart
    for table in ("score", "coverage", "due"):
        assert f'data-chart-table="{table}"' in page.text, table
    assert "<script" not in page.text.split("data-chart=")[1][:5000]  # the SVG is an image: no script
    api = ann.get("/api/progress").json()
    assert api["totals"]["attempts"] == 1 and api["totals"]["questions_practised"] == 1
    assert api["weeks"][-1]["attempts"] == 1
    assert api["needs_work"][0]["question_id"] == question["id"]
    # the score before each question says what it is: a bare "13" read as the list's own numbering
    assert f'data-needs-work-score>Last: {api["needs_work"][0]["last_score"]}<span class="visually-hidden"> out of ' \
           f'100</span>' in page.text
    assert sum(day["due"] for day in api["due_by_day"]) == 1


def test_anonymous_visitors_are_sent_to_sign_in(app):
    visitor = Browser(app)
    assert visitor.get("/progress", follow_redirects=False).status_code == 303
    assert visitor.get("/api/progress").status_code == 401


def test_before_any_answer_the_questions_a_plan_made_due_are_pointed_to(app):
    from .test_plan_pages import POSTING

    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    plan = ann.post("/api/plans", json={"posting": POSTING}, headers=headers).json()
    added = ann.post(f"/api/plans/{plan['id']}/review", headers=headers).json()
    due = ann.get("/api/progress").json()["totals"]["due_now"]
    assert due > 0 and ann.get("/api/progress").json()["totals"]["attempts"] == 0, added
    page = ann.get("/progress").text
    assert "data-progress-empty" in page
    assert f'<a href="/review" data-progress-due>{due} question' in page


def test_each_charts_alt_text_says_truly_where_its_figures_are(app, question):
    """The delivery charts said "the same figures are in the table below", and no table came below them."""
    import html
    import re

    ann = Browser(app)
    ann.sign_up()
    ann.answer(question["id"], ANSWER)
    page = ann.get("/progress").text
    charts = list(re.finditer(r'<img [^>]*alt="([^"]+)" data-chart="(\w+)"', page))
    assert {c.group(2) for c in charts} == {"score", "coverage", "length", "fillers", "due"}
    for number, chart in enumerate(charts):
        alt, name = html.unescape(chart.group(1)), chart.group(2)
        after = page[chart.end():charts[number + 1].start() if number + 1 < len(charts) else len(page)]
        if alt.endswith("in the table below."):
            assert "data-chart-table=" in after, name  # before the next chart
        else:
            assert alt.endswith("in the week-by-week table under “Score over time”, higher up."), name
            assert 'data-chart-table="score"' in page.split(chart.group(0))[0] and "Words per answer" in page


def test_one_answer_is_one_answer_and_each_title_stands_outside_its_scrolling_chart(app, question):
    """A phone scrolls a chart sideways in its own region: a title drawn in the chart was cut off, and the
    weekly charts opened at their oldest, empty weeks."""
    import re

    ann = Browser(app)
    ann.sign_up()
    ann.answer(question["id"], ANSWER)
    page = ann.get("/progress").text
    assert re.search(r'<strong data-total="attempts">1</strong> answer</p>', page)
    for name, title in [("score", "Mean score by week"), ("coverage", "Talking points covered"), ("due", "Reviews due")]:
        assert re.search(rf'<p class="chart-title" data-chart-title="{name}">{title}[^<]*</p>\s*<div class="chart-scroll"',
                         page), name
    latest = set(re.findall(r'data-chart-scroll="(\w+)" data-scroll-to-latest', page))
    assert latest == {"score", "length", "fillers"}  # over time; competencies and the coming days start at the left
    assert '<script src="/static/progress.js' in page and ann.get("/static/progress.js").status_code == 200
