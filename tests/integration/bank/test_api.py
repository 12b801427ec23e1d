"""The bank's JSON API and the health check, through the real app on a real database."""

import pytest
from fastapi.testclient import TestClient

from rehearse.settings import Settings
from rehearse.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'api.db'}", secret_key="x" * 40)
    with TestClient(create_app(settings)) as client:
        yield client


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_roles_list_the_builtin_bank(client):
    roles = client.get("/api/roles").json()
    assert {"engineering-manager", "staff-engineer", "vp-of-engineering"} <= {r["slug"] for r in roles}


def test_questions_filter_by_role_competency_and_text(client):
    by_role = client.get("/api/questions", params={"role": "staff-engineer"}).json()
    assert len(by_role) == 20 and {q["role_slug"] for q in by_role} == {"staff-engineer"}
    hiring = client.get("/api/questions", params={"competency": "hiring"}).json()
    assert hiring and all("hiring" in q["competencies"] for q in hiring)
    searched = client.get("/api/questions", params={"q": "hiring bar"}).json()
    assert "hiring" in searched[0]["competencies"]


def test_one_question_has_intent_points_and_example(client):
    first = client.get("/api/questions", params={"limit": 1}).json()[0]
    question = client.get(f"/api/questions/{first['id']}").json()
    assert question["intent"] and 3 <= len(question["talking_points"]) <= 5 and question["example_answer"]


@pytest.mark.parametrize(("path", "status"), [("/api/questions/999999", 404), ("/api/questions/abc", 422),
                                              ("/api/questions?limit=0", 422)])
def test_bad_requests_get_a_4xx_with_a_reason(client, path, status):
    response = client.get(path)
    assert response.status_code == status and response.json()["detail"]


def test_openapi_describes_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/roles", "/api/questions", "/api/questions/{question_id}", "/healthz"} <= set(paths)


def test_two_banks_with_a_role_of_one_slug_are_told_apart_by_bank_slug(client):
    """The API had no bank filter: ?role= gave both banks' questions of a shared role slug, unmarked; now the
    slug alone is refused naming both banks, and the bank picks one."""
    from sqlalchemy import select

    from rehearse.bank import service
    from rehearse.bank.models import Bank
    from rehearse.formats import BankDoc, QuestionDoc, RoleDoc

    with client.app.state.database.transaction(writes=True) as session:
        service.import_bank(session, BankDoc(name="Another bank", roles=(RoleDoc(
            name="Staff Engineer", slug="staff-engineer", questions=(QuestionDoc(text="Why staff?"),)),)))
    try:
        roles = [r for r in client.get("/api/roles").json() if r["slug"] == "staff-engineer"]
        assert sorted(r["bank_slug"] for r in roles) == ["another-bank", "rehearse-leadership-bank"]
        both = client.get("/api/questions", params={"role": "staff-engineer"})
        assert both.status_code == 400
        assert "another-bank" in both.json()["detail"] and "rehearse-leadership-bank" in both.json()["detail"]
        built_in = client.get("/api/questions", params={"role": "staff-engineer", "bank": "rehearse-leadership-bank"})
        assert len(built_in.json()) == 20 and {q["bank_slug"] for q in built_in.json()} == {"rehearse-leadership-bank"}
        ours = client.get("/api/questions", params={"role": "staff-engineer", "bank": "another-bank"}).json()
        assert [q["text"] for q in ours] == ["Why staff?"]
    finally:  # the other tests of this module see the built-in bank alone
        with client.app.state.database.transaction(writes=True) as session:
            session.delete(session.scalar(select(Bank).where(Bank.slug == "another-bank")))


def test_a_missing_question_is_named_in_a_sentence(client):
    assert client.get("/api/questions/999999").json()["detail"] == "There is no question with id 999999."
