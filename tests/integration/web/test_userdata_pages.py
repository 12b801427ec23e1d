"""Your data through the pages and the API: download, load into a new account elsewhere, delete."""

import json
import re
from datetime import UTC, date, datetime

from rehearse.userdata.views import export_file_name

from .conftest import PASSWORD, Browser

ANSWER = ("First, I would put every request in one visible list. Then I would rank it with the product leads "
          "against company priorities, and explain the trade-offs to every waiting team.")


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_download_load_into_a_new_account_then_delete(app, question):
    ann = Browser(app)
    email = ann.sign_up()
    ann.answer(question["id"], ANSWER)
    headers = ann.page_csrf_header()
    ann.post("/api/stories", json={"title": "A story", "action": "I did it."}, headers=headers)
    download = ann.get("/account/data.json")
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    document = download.json()
    assert len(document["attempts"]) == 1 and len(document["cards"]) == 1 and len(document["stories"]) == 1
    assert ann.get("/api/me/data").json() == document
    # A new account loads it: the same document comes back (less who it belongs to).
    ben = Browser(app)
    ben.sign_up()
    loaded = ben.post("/account/data", data={"csrf_token": csrf(ben.get("/account/data").text)},
                      files={"document": ("rehearse-data.json", download.content, "application/json")})
    assert loaded.status_code == 200 and "data-import-done" in loaded.text
    assert ("Loaded 1 answer, 1 review card (1 review), 1 story, 0 mock interviews, 0 prep plans, 0 suggestions, "
            "0 comments and 0 votes.") in loaded.text  # "1 answers", "1 prep plans" before
    again = ben.get("/api/me/data").json()
    assert {**again, "user": None} == {**document, "user": None}
    twice = ben.post("/api/me/data", content=download.content, headers=ben.page_csrf_header())
    assert twice.status_code == 409
    # Deleting needs the password; then nothing of Ann's is left and she cannot sign in.
    page = ann.get("/account/data").text
    wrong = ann.post("/account/delete", data={"csrf_token": csrf(page), "password": "not my password!"})
    assert wrong.status_code == 403 and ann.get("/api/me/data").json() == document
    gone = ann.post("/account/delete", data={"csrf_token": csrf(page), "password": PASSWORD}, follow_redirects=False)
    assert gone.status_code == 303
    landed = ann.get(gone.headers["location"]).text  # not the ordinary home page: it says what happened
    assert "data-account-deleted" in landed and "Your account and all its data were deleted." in landed
    assert "data-account-deleted" not in Browser(app).get("/").text
    assert Browser(app).sign_in(email).status_code != 303
    assert ben.get("/api/me/data").json() == again  # Ben's copy is his own


def test_bad_documents_and_api_deletion(app):
    cat = Browser(app)
    email = cat.sign_up()
    headers = cat.page_csrf_header()
    assert cat.post("/api/me/data", content=b"{not json", headers=headers).status_code == 400
    bad = cat.post("/api/me/data", json={"format": "something else"}, headers=headers)
    assert bad.status_code == 422 and "not a Rehearse user-data document" in bad.json()["detail"]
    assert cat.delete("/api/me/account", params={"confirm": "someone@else.com"}, headers=headers).status_code == 422
    assert cat.delete("/api/me/account", params={"confirm": email}, headers=headers).status_code == 204
    assert cat.get("/api/me/data").status_code == 401


def test_an_export_past_a_mebibyte_loads_on_the_page_and_through_the_api(app, question):
    """A few weeks of daily practice export to more than 1 MiB; the import's own 50 MB limit holds, not the
    1 MiB that answers have."""
    from rehearse.userdata.service import MAX_DOCUMENT_BYTES
    from rehearse.web.limits import MAX_BODY

    ann = Browser(app)
    ann.sign_up()
    ann.answer(question["id"], ANSWER)
    document = ann.get("/api/me/data").json()
    attempt = document["attempts"][0]
    document["attempts"] = [{**attempt, "number": n, "tries_again": None} for n in range(1, 301)]
    big = json.dumps(document).encode()
    assert len(big) > MAX_BODY
    ben, cat = Browser(app), Browser(app)
    ben.sign_up()
    cat.sign_up()
    page = ben.post("/account/data", data={"csrf_token": csrf(ben.get("/account/data").text)},
                    files={"document": ("rehearse-data.json", big, "application/json")})
    assert page.status_code == 200 and "Loaded 300 answers" in page.text
    api = cat.post("/api/me/data", content=big, headers={**cat.page_csrf_header(), "Content-Type": "application/json"})
    assert api.status_code == 200 and api.json()["attempts"] == 300
    # Past the import's limit: refused before it is read, in the words of this route (not "shorten the answer").
    huge = cat.post("/api/me/data", content=b" " * (MAX_DOCUMENT_BYTES + 2**20),
                    headers={**cat.page_csrf_header(), "Content-Type": "application/json"})
    assert huge.status_code == 413 and "larger than 50 MB" in huge.json()["detail"]
    assert "answer" not in huge.json()["detail"]


def test_the_download_is_named_with_its_day_so_that_exports_do_not_overwrite_each_other(app, question):
    ann = Browser(app)
    ann.sign_up()
    today = datetime.now(UTC).date().isoformat()
    for address in ("/account/data.json", "/api/me/data"):
        download = ann.get(address)
        assert download.headers["content-disposition"] == f'attachment; filename="rehearse-data-{today}.json"'
    assert export_file_name(date(2026, 11, 28)) == "rehearse-data-2026-11-28.json"
