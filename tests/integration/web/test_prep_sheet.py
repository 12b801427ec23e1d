"""The printable prep sheet: HTML and PDF, with the user's best answer, missed points and stories."""

import re
import shutil
import subprocess

import pytest

from .conftest import Browser

ANSWER = ("First, I would put every request in one visible list. Then I would rank it with the product leads "
          "against company priorities, and explain the trade-offs to every waiting team.")


def test_the_sheet_shows_best_answers_missed_points_and_stories(app, question, tmp_path):
    ann = Browser(app)
    ann.sign_up()
    ann.answer(question["id"], "I would ask the team to work harder.")
    ann.answer(question["id"], ANSWER)
    ann.post("/api/stories", json={"title": "Platform queue story", "action": "I ranked the requests."},
             headers=ann.page_csrf_header())
    page = ann.get(f"/prep-sheets/{question['role_slug']}")
    assert page.status_code == 200
    assert f'data-sheet-answer="{question["id"]}"' in page.text and ANSWER in page.text
    assert "work harder" not in page.text  # the best attempt only
    assert re.search(r"Best score \d+ \(2 attempts\)", page.text)  # not "98 of 2", which reads as a fraction
    assert "Points you tend to miss" in page.text and "Platform queue story" in page.text
    pdf = ann.get(f"/prep-sheets/{question['role_slug']}.pdf")
    if pdf.status_code == 503:
        pytest.skip(pdf.json()["detail"] if "json" in pdf.headers["content-type"] else pdf.text[:200])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        (tmp_path / "sheet.pdf").write_bytes(pdf.content)
        text = subprocess.run(["pdftotext", str(tmp_path / "sheet.pdf"), "-"], capture_output=True,
                              text=True).stdout
        assert "Platform queue story" in text and "visible list" in text
    assert Browser(app).get(f"/prep-sheets/{question['role_slug']}", follow_redirects=False).status_code == 303
    assert ann.get("/prep-sheets/no-such-role").status_code == 404


def test_the_best_answer_lists_the_points_it_covered_apart_from_those_it_missed(app, question):
    """"points:" listed every talking point, a missed one as if covered."""
    import html

    ann = Browser(app)
    ann.sign_up()
    attempt = int(ann.answer(question["id"], ANSWER).headers["location"].rsplit("/", 1)[1])
    points = ann.get(f"/api/attempts/{attempt}").json()["report"]["talking_points"]
    covered = [p["point"] for p in points if p["covered"]]
    missed = [p["point"] for p in points if not p["covered"]]
    assert covered and missed  # the answer covers some and misses some: the sheet must tell them apart
    page = html.unescape(ann.get(f"/prep-sheets/{question['role_slug']}").text)
    assert " · points: " not in page
    assert f"<span data-sheet-covered>covered: {'; '.join(covered)}</span>" in page
    assert f"<span data-sheet-missed>missed: {'; '.join(missed)}</span>" in page
