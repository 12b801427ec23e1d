"""The community and accounts JSON API holds to what /openapi.json and the README say of every API body:
unknown fields refused, ids and limits bounded in the schema, errors that name the field."""

from __future__ import annotations

import uuid

import pytest

from .conftest import Browser
from .test_community import current_answer, make_editor


@pytest.fixture
def cast(app, question, make_browser):
    """An author with a pending suggestion, a voter, an editor and an admin, each with CSRF headers."""
    author, voter, editor, admin = (make_browser() for _ in range(4))
    emails = [client.sign_up() for client in (author, voter, editor, admin)]
    make_editor(app, emails[2])
    make_editor(app, emails[3], role="admin")
    made = author.post(f"/api/questions/{question['id']}/suggestions", headers=author.page_csrf_header(), json={
        "example_answer": current_answer(author, question["id"]) + f" We met every {uuid.uuid4().hex}.", "reason": "Cadence.",
        "accept_licence": True})
    assert made.status_code == 201, made.text
    comment = voter.post(f"/api/suggestions/{made.json()['id']}/comments", json={"body": "Good."},
                         headers=voter.page_csrf_header())
    user_id = admin.get("/api/community/users", params={"q": emails[1]}).json()[0]["id"]
    return {"author": author, "voter": voter, "editor": editor, "admin": admin, "suggestion": made.json()["id"],
            "comment": comment.json()["id"], "voter_id": user_id, "question": question["id"]}


def send(client: Browser, method: str, path: str, body: dict):
    return client.request(method, path, json=body, headers=client.page_csrf_header())


# (who, method, path, a valid body): every community body, with one unknown field added by the test.
BODIES = [
    ("voter", "POST", "/api/suggestions/{suggestion}/vote", {"value": 1}),
    ("voter", "POST", "/api/suggestions/{suggestion}/comments", {"body": "hello"}),
    ("author", "POST", "/api/comments/{comment}/report", {"reason": "rude"}),
    ("editor", "POST", "/api/comments/{comment}/hide", {"reason": "rude"}),
    ("editor", "POST", "/api/suggestions/{suggestion}/reject", {"reason": "no"}),
    ("editor", "POST", "/api/suggestions/{suggestion}/accept", {}),
    ("editor", "POST", "/api/questions/{question}/revert", {"revision": 1, "reason": "x"}),
    ("admin", "PUT", "/api/community/users/{voter_id}/role", {"role": "candidate"}),
    ("admin", "POST", "/api/community/users/{voter_id}/ban", {"reason": "x"}),
    ("author", "POST", "/api/notifications/read", {"ids": [1]}),
]


@pytest.mark.parametrize(("who", "method", "path", "body"), BODIES, ids=[b[2].rsplit("/", 1)[1] for b in BODIES])
def test_an_unknown_field_in_any_community_body_is_refused_naming_it(cast, who, method, path, body):
    """{"revision": 2, "dry_run": true} really reverted, {"reply_too": 5} made a top-level comment and
    {"reason": "x", "days": 1} banned for good: the typed field was dropped without a word."""
    refused = send(cast[who], method, path.format(**cast), {**body, "dry_run": True})
    assert refused.status_code == 422, refused.text
    assert "dry_run" in refused.json()["detail"] and "not permitted" in refused.json()["detail"]


def test_every_api_body_refuses_unknown_fields(app):
    """Derived from the routes, so a body added later is held to it too (nested models included)."""
    import typing

    from pydantic import BaseModel

    from rehearse.web.routes import api_routes

    def models(annotation):
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield annotation
            for field in annotation.model_fields.values():
                yield from models(field.annotation)
        for argument in typing.get_args(annotation):
            yield from models(argument)

    lax = {f"{path} {model.__name__}" for path, route in api_routes(app) for body in route.dependant.body_params
           for model in models(body.field_info.annotation) if model.model_config.get("extra") != "forbid"}
    assert lax == set()


@pytest.mark.parametrize("path", ["/api/suggestions/{n}", "/api/questions/{n}/suggestions",
                                  "/api/questions/{n}/history"])
@pytest.mark.parametrize("number", [0, -1, 2**31, 2**63, 2**64])
def test_community_ids_out_of_range_are_a_422_naming_the_parameter(cast, path, number):
    """They were 404 for 0 and 2³¹, and a 400 naming no field for 2⁶³, where the core routes say 422."""
    answer = cast["voter"].get(path.format(n=number))
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"].split(":")[0] in ("suggestion_id", "question_id")


def test_the_openapi_document_bounds_every_community_id_and_the_queue_offset(app, cast):
    schema = cast["voter"].get("/openapi.json").json()
    community = {path: operations for path, operations in schema["paths"].items()
                 if any("community" in op.get("tags", ()) for op in operations.values())}
    assert community
    for path, operations in community.items():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                if parameter["name"].endswith("_id") or parameter["name"] == "offset":
                    bounds = parameter["schema"]
                    assert "maximum" in bounds and "minimum" in bounds, (path, parameter["name"])


def test_the_suggestions_of_a_question_that_does_not_exist_are_a_404_not_an_empty_list(cast):
    missing = cast["voter"].get("/api/questions/2147483647/suggestions")
    assert missing.status_code == 404 and "no question" in missing.json()["detail"]
    assert cast["voter"].get(f"/api/questions/{cast['question']}/suggestions").status_code == 200


SUGGESTION = {"reason": "r", "accept_licence": True, "intent": "Show a plan."}


@pytest.mark.parametrize(("who", "path", "base", "field", "limit"), [
    ("voter", "/api/suggestions/{suggestion}/comments", {}, "body", 5_000),
    ("author", "/api/questions/{question}/suggestions", SUGGESTION, "example_answer", 20_000),
    ("author", "/api/questions/{question}/suggestions", SUGGESTION, "reason", 2_000),
    ("editor", "/api/suggestions/{suggestion}/reject", {}, "reason", 2_000),
])
def test_the_real_length_limits_are_in_the_schema_and_going_over_is_a_422_naming_the_field(
        cast, who, path, base, field, limit):
    """The schema said 100,000 characters; 5,001 to 100,000 got a 400 instead, with another sentence."""
    over = send(cast[who], "POST", path.format(**cast), {**base, field: "a" * (limit + 1)})
    assert over.status_code == 422, over.text
    assert over.json()["detail"].lower().startswith(f"{field}: ") and f"at most {limit} characters" in over.json()["detail"]
    schema = cast[who].get("/openapi.json").json()
    request = schema["paths"][path.replace("{suggestion}", "{suggestion_id}").replace("{question}", "{question_id}")]
    reference = request["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    declared = schema["components"]["schemas"][reference]["properties"][field]
    assert limit in (declared.get("maxLength"), *(option.get("maxLength") for option in declared.get("anyOf", ())))


def test_the_admin_routes_document_their_own_errors_and_that_a_role_may_be_admin(cast):
    paths = cast["admin"].get("/openapi.json").json()["paths"]
    role = paths["/api/community/users/{user_id}/role"]["put"]
    assert "admin" in role["description"] and "No such question" not in str(role["responses"])
    assert "user" in role["responses"]["404"]["description"]
    assert "suspended already" in paths["/api/community/users/{user_id}/ban"]["post"]["responses"]["409"]["description"]
    assert "not suspended" in paths["/api/community/users/{user_id}/reinstate"]["post"]["responses"]["409"][
        "description"]
    listing = paths["/api/community/users"]["get"]["responses"]
    assert "No such question" not in listing["404"]["description"] and "Decided" not in listing["409"]["description"]


def test_a_suspended_voters_vote_leaves_up_and_down_as_it_leaves_votes(cast):
    """{"votes": 0, "up": 1, "down": 0} after the only up-voter was suspended."""
    assert send(cast["voter"], "POST", "/api/suggestions/{suggestion}/vote".format(**cast), {"value": 1}).is_success
    banned = send(cast["admin"], "POST", "/api/community/users/{voter_id}/ban".format(**cast), {"reason": "Ring."})
    assert banned.status_code == 200
    counts = cast["author"].get(f"/api/suggestions/{cast['suggestion']}").json()
    assert (counts["votes"], counts["up"], counts["down"]) == (0, 0, 0)
    queued = cast["editor"].get("/api/community/queue").json()["items"]
    assert [(i["votes"], i["up"], i["down"]) for i in queued if i["id"] == cast["suggestion"]] == [(0, 0, 0)]


def test_the_reason_for_a_suspension_is_shown_to_admins_not_on_the_public_withdrawn_suggestions(app, cast):
    """The admin's reason was published as the decision_reason of every suggestion the suspension withdrew."""
    from fastapi.testclient import TestClient

    private = "Private note: harassment complaint from user X"
    author_id = cast["admin"].get("/api/community/users", params={"q": cast["author"].get("/api/me").json()["email"]}
                                  ).json()[0]["id"]
    assert send(cast["admin"], "POST", f"/api/community/users/{author_id}/ban", {"reason": private}).is_success
    withdrawn = TestClient(app).get(f"/api/suggestions/{cast['suggestion']}").json()
    assert withdrawn["status"] == "withdrawn"
    assert withdrawn["decision_reason"] == "Withdrawn: the author's account was suspended."
    notes = cast["admin"].get("/api/notifications").json()
    assert any(n["kind"] == "suspension" and private in n["message"] for n in notes)  # the admins keep it
    assert send(cast["admin"], "POST", f"/api/community/users/{author_id}/reinstate", {}).is_success
    assert not any(private in n["message"] for n in cast["author"].get("/api/notifications").json())


def test_a_json_key_given_twice_is_refused_on_every_json_route(cast):
    """{"value": 1, "value": -1} was counted as a down-vote; a proxy or another parser may read the first."""
    path = "/api/suggestions/{suggestion}/vote".format(**cast)
    headers = {**cast["voter"].page_csrf_header(), "content-type": "application/json"}
    twice = cast["voter"].post(path, content=b'{"value": 1, "value": -1}', headers=headers)
    assert twice.status_code == 422 and "duplicate key 'value'" in twice.json()["detail"]
    assert cast["voter"].get(f"/api/suggestions/{cast['suggestion']}").json()["votes"] == 0
    nested = cast["editor"].post("/api/suggestions/{suggestion}/accept".format(**cast),
                                 content=b'{"edited": {"intent": "a", "intent": "b"}}',
                                 headers={**cast["editor"].page_csrf_header(), "content-type": "application/json"})
    assert nested.status_code == 422 and "duplicate key 'intent'" in nested.json()["detail"]


@pytest.mark.parametrize("kind", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_json_body_sent_as_another_media_type_is_a_415_that_says_so(cast, kind):
    """It was a 422 saying "The request body must be a JSON object." about a body that was one."""
    headers = cast["voter"].page_csrf_header() | ({"content-type": kind} if kind else {})
    sent = cast["voter"].post("/api/suggestions/{suggestion}/comments".format(**cast), content=b'{"body": "ct"}',
                              headers=headers)
    assert sent.status_code == 415, sent.text
    assert "Content-Type: application/json" in sent.json()["detail"] and (kind or "no Content-Type") in \
        sent.json()["detail"]
    operation = cast["voter"].get("/openapi.json").json()["paths"]["/api/suggestions/{suggestion_id}/comments"]
    assert "415" in operation["post"]["responses"]


def test_a_body_over_the_limit_is_refused_without_talking_of_an_answer(cast):
    """Every route said "shorten the answer", a comment and a vote included."""
    over = send(cast["voter"], "POST", "/api/suggestions/{suggestion}/comments".format(**cast),
                {"body": "a" * 2_000_000})
    assert over.status_code == 413 and "answer" not in over.json()["detail"]
    assert "1,024 KiB" in over.json()["detail"]


def test_a_stale_suggestion_that_conflicts_is_a_409_that_names_edited_base(app, question, make_browser):
    """An editor who edited against the current text but left `edited_base` out got the same 409, and neither
    its sentence nor the document named the field."""
    first, second, editor = (make_browser() for _ in range(3))
    make_editor(app, [client.sign_up() for client in (first, second, editor)][2])
    qid, base = question["id"], current_answer(first, question["id"])
    made = [send(client, "POST", f"/api/questions/{qid}/suggestions",
                 {"example_answer": f"{base} {ending}", "reason": "Ends it.", "accept_licence": True}).json()["id"]
            for client, ending in ((first, "Ending A."), (second, "Ending B."))]
    assert send(editor, "POST", f"/api/suggestions/{made[0]}/accept", {}).status_code == 200
    latest = editor.get(f"/api/questions/{qid}/history").json()["revisions"][0]["revision"]
    accept = f"/api/suggestions/{made[1]}/accept"
    refused = send(editor, "POST", accept, {})
    assert refused.status_code == 409 and f'"edited_base": {latest}' in refused.json()["detail"]
    merged = {"example_answer": f"{base} Ending A. Ending B."}
    unnamed = send(editor, "POST", accept, {"edited": merged})  # counts as made on the suggestion's revision
    assert unnamed.status_code == 409 and "edited_base" in unnamed.json()["detail"]
    assert send(editor, "POST", accept, {"edited": merged, "edited_base": latest}).status_code == 200
    assert current_answer(editor, qid) == merged["example_answer"]
    documented = editor.get("/openapi.json").json()["paths"]["/api/suggestions/{suggestion_id}/accept"]["post"]
    assert "`edited_base`" in documented["responses"]["409"]["description"]
