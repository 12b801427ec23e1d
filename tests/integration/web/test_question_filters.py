"""GET /api/questions names what it cannot filter by: a role or a bank that is not here is a 404, not an empty
list that reads as "no questions", and a role slug two banks share needs its bank (it mixed both banks)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from rehearse.bank import service as bank
from rehearse.formats.model import BankDoc, QuestionDoc, RoleDoc


def _bank(name: str, question: str) -> BankDoc:
    return BankDoc(name=name, source=f"{name}.yaml", licence="CC-BY-4.0", description=None, roles=(
        RoleDoc(name="Head of engineering", slug="head", description=None, questions=(
            QuestionDoc(text=question, slug="q1", kind="situational", competencies=("strategy",), intent=None,
                        talking_points=("a plan",), example_answer=None),)),))


@pytest.fixture(scope="module")
def api(app):
    with app.state.database.transaction(writes=True) as session:
        bank.import_bank(session, _bank("North bank", "How would you plan the north's year?"))
        bank.import_bank(session, _bank("South bank", "How would you plan the south's year?"), rename_bank=False)
    with TestClient(app) as client:
        yield client


def test_a_role_slug_two_banks_share_needs_its_bank(api):
    mixed = api.get("/api/questions", params={"role": "head"})
    assert mixed.status_code == 400
    assert "north-bank" in mixed.json()["detail"] and "south-bank" in mixed.json()["detail"]
    north = api.get("/api/questions", params={"role": "head", "bank": "north-bank"})
    assert north.status_code == 200 and [q["text"] for q in north.json()] == ["How would you plan the north's year?"]


@pytest.mark.parametrize(("params", "named"), [
    ({"role": "nosuch"}, "no role 'nosuch'"),
    ({"role": "head", "bank": "west-bank"}, "no bank 'west-bank'"),
    ({"bank": "west-bank"}, "no bank 'west-bank'"),
    ({"role": "nosuch", "bank": "north-bank"}, "no role 'nosuch' in the bank 'north-bank'"),
])
def test_a_role_or_bank_that_is_not_here_is_404_naming_it(api, params, named):
    response = api.get("/api/questions", params=params)
    assert response.status_code == 404 and named in response.json()["detail"]


def test_an_unknown_competency_is_an_empty_list(api):
    """Competencies are open tags: none carrying one is an answer, not a mistake."""
    response = api.get("/api/questions", params={"competency": "juggling"})
    assert response.status_code == 200 and response.json() == []
