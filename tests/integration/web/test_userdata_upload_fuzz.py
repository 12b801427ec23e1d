"""Fuzzed documents through `POST /api/me/data` (the upload behind "Load my data"): a whole import or a 4xx
that names what is wrong and leaves the account empty; never a 500."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.fuzz_bytes import mutated, replaced

from .conftest import Browser

STORY = {"title": "The outage", "situation": "Payments stalled.", "action": "I paged the lead.", "result": "Back."}


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_fuzzed_upload_loads_whole_or_is_refused_with_a_4xx(app, question, data):
    if "seed" not in app.state.__dict__.setdefault("fuzz", {}):  # one real document per app, made once
        author = Browser(app)
        author.sign_up()
        author.answer(question["id"], "I would rank every request against the company's priorities.")
        author.post("/api/stories", json=STORY, headers=author.page_csrf_header())
        app.state.fuzz["seed"] = json.dumps(author.get("/api/me/data").json(), indent=1).encode()
    seed = app.state.fuzz["seed"]
    content = data.draw(st.one_of(mutated([seed]), replaced(json.loads(seed)), st.binary(max_size=100)))
    client = Browser(app)
    email = client.sign_up()
    headers = client.page_csrf_header()
    empty = client.get("/api/me/data").json()
    response = client.post("/api/me/data", content=content, headers={**headers, "Content-Type": "application/json"})
    assert response.status_code in (200, 400, 413, 422), response.text
    if response.status_code == 200:
        assert response.json()["attempts"] >= 0
    else:
        assert response.json()["detail"]
        assert client.get("/api/me/data").json() == empty
    assert client.delete("/api/me/account", params={"confirm": email}, headers=headers).status_code == 204
    client.close()
