"""Every route, walked as five people, against the one list of who may use it (rehearse.web.access).

Anonymous, candidates A and B, an editor and an admin each call every route. Writes are sent
with a valid CSRF token (pages) or an API token, and an empty body: what is checked is the
door, not the work behind it (a 422 for the empty body means the caller got in).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rehearse.accounts import service as accounts
from rehearse.web.access import ADMIN, EDITOR, OWNER, PUBLIC, ROUTES, SIGNED_IN, Route
from rehearse.web.routes import endpoints

from .conftest import PASSWORD, Browser


@dataclass
class Person:
    name: str
    client: Browser
    token: str | None = None
    role: str = "anonymous"
    own: dict[str, Any] = field(default_factory=dict)

    def csrf(self) -> str:
        return self.client.csrf("/signin")


def _person(app, name: str, role: str | None) -> Person:
    client = Browser(app)
    if role is None:
        return Person(name, client)
    email = client.sign_up(f"{name}-{uuid.uuid4().hex[:8]}@example.com")
    if role != "candidate":
        with app.state.database.transaction(writes=True) as session:
            accounts.set_role(session, email=email, role=role)
    token = client.post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["token"]
    return Person(name, client, token, role)


def _api(person: Person, method: str, path: str, body: Any = None):
    headers = {"Authorization": f"Bearer {person.token}"} if person.token else {}
    return person.client.request(method, path, json=body, headers=headers, follow_redirects=False)


@pytest.fixture(scope="module")
def people(app):
    found = {
        "anonymous": _person(app, "anon", None),
        "B": _person(app, "bee", "candidate"),
        "editor": _person(app, "ed", "editor"),
        "admin": _person(app, "ad", "admin"),
        "A": _person(app, "ann", "candidate"),  # last: A's own writes (deletes) run after the others looked
    }
    yield found
    for person in found.values():
        person.client.close()


def _finished_mock(person, role) -> dict[str, Any]:
    """A one-question mock of the person's, answered: finished, so that another may start."""
    made = _api(person, "POST", "/api/mocks", {"role": role["slug"], "questions": 1, "follow_ups": False})
    assert made.status_code == 201, made.text
    mock = made.json()
    answered = _api(person, "POST", f"/api/mocks/{mock['id']}/answers",
                    {"item_id": mock["current_item_id"], "answer": "An answer."})
    assert answered.status_code == 200, answered.text
    return mock


@pytest.fixture(scope="module")
def samples(app, people, question) -> dict[str, Any]:
    """A value for every path parameter; for OWNER routes, something that candidate A owns."""
    a = people["A"]
    role = TestClient(app).get("/api/roles").json()[0]
    attempt = _api(a, "POST", "/api/attempts", {"question_id": question["id"], "answer": "We phased it in a year."})
    spare, spare_2 = (_api(a, "POST", "/api/tokens", {"name": f"spare {n}"}) for n in (1, 2))
    # one unfinished mock at a time: the shared one and the second are finished before the first is started
    shared, mock_2 = (_finished_mock(a, role) for _ in range(2))
    assert _api(a, "POST", f"/api/mocks/{shared['id']}/share").status_code == 200
    mock = _api(a, "POST", "/api/mocks", {"role": role["slug"]})
    story, story_2 = (_api(a, "POST", "/api/stories", {"title": f"The outage we turned around {n}",
                                                       "situation": "Checkout failed for an hour."}) for n in (1, 2))
    suggestion = _api(a, "POST", f"/api/questions/{question['id']}/suggestions",
                      {"reason": "Clearer.", "accept_licence": True,
                       "example_answer": "I would phase the year: stabilise, then scale, then hire."})
    plan, plan_2 = (_api(a, "POST", "/api/plans", {"posting": "We are hiring a Head of Software Engineering to set "
                                                   "the engineering strategy, grow and hire the team, run incidents "
                                                   "well, and tie the roadmap to company OKRs."}) for _ in range(2))
    for made in (attempt, spare, spare_2, mock, story, story_2, suggestion, plan, plan_2):
        assert made.status_code == 201, made.text
    comment = _api(a, "POST", f"/api/suggestions/{suggestion.json()['id']}/comments", {"body": "Agreed."})
    assert comment.status_code == 201, comment.text
    b_comments = _api(people["B"], "POST", f"/api/suggestions/{suggestion.json()['id']}/comments", {"body": "Why?"})
    assert b_comments.status_code == 201, b_comments.text  # tells A: a notification of A's
    notification = _api(a, "GET", "/api/notifications").json()[0]
    third = _person(app, "cee", "candidate")
    me = _api(third, "GET", "/api/me").json()
    third.client.close()
    return {
        "question_id": question["id"],
        "reference": role["slug"],
        "role_id": role["id"],
        "attempt_id": attempt.json()["id"],
        "token_id": spare.json()["id"],
        "token_id_2": spare_2.json()["id"],
        "mock_id": mock.json()["id"],
        "mock_item_id": mock.json()["current_item_id"],
        "mock_id_2": mock_2["id"],
        "mock_id_shared": shared["id"],  # finished and shared: a link to revoke
        "story_id": story.json()["id"],
        "story_id_2": story_2.json()["id"],
        "suggestion_id": suggestion.json()["id"],
        "comment_id": comment.json()["id"],
        "notification_id": notification["id"],
        "user_id": me["id"],  # a third account, for the admins' routes
        "plan_id": plan.json()["id"],
        "plan_id_2": plan_2.json()["id"],
        "role_ref": role["slug"],
        "job_id": "no-such-job",
        "token": "no-such-share-token",
    }


def test_every_route_of_the_app_is_in_the_access_list_once(app):
    listed = [(r.method, r.path) for r in ROUTES]
    assert len(listed) == len(set(listed)), "a route is listed twice"
    served = endpoints(app) - {("GET", "/openapi.json")}
    assert served - set(listed) == set(), (
        "routes missing from rehearse.web.access.ROUTES: add a Route line for each (see that module's docstring)")
    assert set(listed) - served == set(), "listed routes the app does not serve"


# Bodies and queries that get past validation, so that the owner check is what answers.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/attempts/{attempt_id}/rating"): {"rating": "good"},
    ("PUT", "/api/review/attempts/{attempt_id}/rating"): {"rating": "good"},
    ("POST", "/api/mocks/{mock_id}/answers"): {"item_id": "{mock_item_id}", "answer": "An answer."},
    ("PUT", "/api/stories/{story_id}"): {"title": "Edited", "situation": "Edited."},
    ("POST", "/api/stories/{story_id}/score"): {"question_id": "{question_id}"},
    ("POST", "/account/delete"): {"password": "not the password"},
    ("DELETE", "/api/me/account"): {"password": "not the password"},
}
QUERIES: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/stories/{story_id}/score"): {"question_id": "{question_id}"},
}
# Answers that still mean "let in": the door opened and the request itself was refused.
LET_IN_ALSO: dict[tuple[str, str], set[int]] = {
    ("POST", "/signin"): {401},  # empty credentials are wrong credentials
    ("POST", "/suggestions/{suggestion_id}/vote"): {403},  # authors may not vote on their own
    ("POST", "/suggestions/{suggestion_id}/comments/{comment_id}/report"): {403},  # nor report their own comment
    ("POST", "/api/comments/{comment_id}/report"): {403},
    ("POST", "/account/delete"): {403},  # a wrong password deletes nothing
    ("DELETE", "/api/me/account"): {403},
}
# A second thing of A's where an earlier destructive route has removed the first.
OWN_SECOND = {("DELETE", "/api/stories/{story_id}"): {"story_id": "story_id_2"},
              ("POST", "/mocks/{mock_id}/abandon"): {"mock_id": "mock_id_2"},  # the API's share routes need the first
              ("DELETE", "/api/plans/{plan_id}"): {"plan_id": "plan_id_2"},
              # revoking a link that was never made is a 404, as for any delete
              ("DELETE", "/api/mocks/{mock_id}/share"): {"mock_id": "mock_id_shared"},
              # a token revoked on the settings page is gone for the API: revoking it again is a 404
              ("DELETE", "/api/tokens/{token_id}"): {"token_id": "token_id_2"}}


def _fill(value: Any, samples: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return samples[value[1:-1]]
    return value


def _destructive(route: Route) -> bool:
    return route.method == "DELETE" or route.path.endswith(
        ("/delete", "/abandon", "/revoke", "/withdraw", "/signout", "/ban", "/account"))


def _is_signin_redirect(response) -> bool:
    return response.status_code in (302, 303, 307) and response.headers.get("location", "").startswith("/signin")


def _denied_anonymous(route: Route, response) -> bool:
    return response.status_code == 401 if route.path.startswith("/api/") else _is_signin_redirect(response)


def _let_in(response) -> bool:
    return response.status_code < 500 and response.status_code not in (401, 403) and not _is_signin_redirect(response)


def _expected(route: Route, who: str) -> str:
    if route.access is PUBLIC:
        return "in"
    if who == "anonymous":
        return "out-anonymous"
    if route.access is SIGNED_IN:
        return "in"
    if route.access is OWNER:
        return "in-owner" if who == "A" else "out-not-found"
    if route.access is EDITOR:
        return "in" if who in ("editor", "admin") else "out-forbidden"
    assert route.access is ADMIN
    return "in" if who == "admin" else "out-forbidden"


def _call(person: Person, route: Route, samples: dict[str, Any]):
    key = (route.method, route.path)
    values = {**samples, **{param: samples[sample] for param, sample in OWN_SECOND.get(key, {}).items()}}
    path = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), route.path)
    body = {name: _fill(v, samples) for name, v in BODIES.get(key, {}).items()}
    params = {name: _fill(v, samples) for name, v in QUERIES.get(key, {}).items()}
    if route.path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {person.token}"} if person.token else {}
        return person.client.request(route.method, path, params=params, headers=headers, follow_redirects=False,
                                     json=None if route.method == "GET" else body)
    data = None if route.method == "GET" else {"csrf_token": person.csrf(), **body}
    return person.client.request(route.method, path, params=params, data=data, follow_redirects=False)


def test_each_person_is_let_in_or_kept_out_as_the_list_says(app, people, samples):
    # Writes that destroy come last, and deleting one's own account last of all.
    order = sorted(ROUTES, key=lambda r: (_destructive(r), r.path == "/signout", "account" in r.path))
    wrong = []
    for route in order:
        for who, person in people.items():
            response = _call(person, route, samples)
            expected = _expected(route, who)
            status = response.status_code
            also = status in LET_IN_ALSO.get((route.method, route.path), set())
            ok = {
                "in": _let_in(response) or also,
                "in-owner": _let_in(response) and status != 404,
                "out-anonymous": _denied_anonymous(route, response),
                "out-not-found": status in (403, 404),
                "out-forbidden": status == 403,
            }[expected]
            if not ok:
                wrong.append(f"{route.method} {route.path} as {who}: {status}, expected {expected}")
            if status == 204 and (response.content or response.headers.get("content-length", "0") != "0"):
                # A body with a 204 breaks the server's HTTP framing (h11: "Too much data for declared
                # Content-Length") and can break a kept-alive connection.
                wrong.append(f"{route.method} {route.path} as {who}: a 204 with a body ({response.content[:20]!r})")
    assert wrong == [], "\n".join(wrong)
