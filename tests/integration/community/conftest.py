"""A bank with one question, and three users (author, voter, editor), in the rolled-back test session."""

from __future__ import annotations

import uuid

import pytest

from rehearse.accounts import service as accounts
from rehearse.bank import service as bank
from rehearse.formats import BankDoc, QuestionDoc, RoleDoc

ANSWER = ("I start with the company's goals for the year. I map them to three engineering bets. "
          "I review progress every quarter with the leadership team.")
POINTS = ("a phased approach", "key trade-offs", "ties to company OKRs")


def bank_doc(answer: str = ANSWER, points=POINTS, intent: str = "Show how you plan a year.") -> BankDoc:
    return BankDoc(name="Community test bank", source="community.yaml", licence="CC-BY-SA-4.0", description=None,
                   roles=(RoleDoc(name="Head of engineering", slug="head", description=None, questions=(
                       QuestionDoc(text="How would you craft a 12-month engineering strategy?", slug="strategy",
                                   kind="situational", competencies=("strategy",), intent=intent,
                                   talking_points=tuple(points), example_answer=answer),)),))


@pytest.fixture
def question(session):
    bank.import_bank(session, bank_doc())
    session.flush()
    return bank.get_question(session, "strategy")


def _user(session, role: str):
    return accounts.create_user(session, email=f"{role}-{uuid.uuid4().hex[:8]}@example.com",
                                password="a long enough password", display_name=role.capitalize(), role=role)


@pytest.fixture
def author(session):
    return _user(session, "candidate")


@pytest.fixture
def voter(session):
    return _user(session, "candidate")


@pytest.fixture
def editor(session):
    return _user(session, "editor")


@pytest.fixture
def admin(session):
    return _user(session, "admin")
