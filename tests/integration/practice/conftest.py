"""A small bank of questions in the rolled-back test session, for practice tests."""

import pytest

from rehearse.accounts import service as accounts
from rehearse.bank.models import Bank, ExampleAnswer, Question, QuestionCompetency, Role


@pytest.fixture
def questions(session):
    bank = Bank(slug="test-bank", name="Test bank")
    session.add(bank)
    session.flush()
    role = Role(bank_id=bank.id, slug="test-role", name="Test role")
    session.add(role)
    session.flush()
    made = []
    for position, (text, points, example) in enumerate(
        [
            (
                "Tell me about a time you handled a major production incident.",
                [
                    "how you coordinated the response",
                    "how you communicated with customers",
                    "what you changed afterwards",
                ],
                "I led the response as incident commander and split the work. I posted updates "
                "to customers every 30 minutes. Afterwards we added a canary stage and cut "
                "incidents by 40%.",
            ),
            (
                "How would you grow a team from 10 to 30 engineers in a year?",
                ["a hiring plan", "onboarding", "keeping the bar high"],
                "I would write a hiring plan by quarter, build a two-week onboarding programme, "
                "and train interviewers.",
            ),
        ]
    ):
        question = Question(
            bank_id=bank.id,
            role_id=role.id,
            slug=f"q{position}",
            text=text,
            kind="other",
            position=position,
            intent=None,
            talking_points=points,
            search_document=text,
        )
        session.add(question)
        session.flush()
        session.add(
            QuestionCompetency(
                question_id=question.id, name="incidents" if position == 0 else "hiring"
            )
        )
        session.add(ExampleAnswer(question_id=question.id, revision=1, text=example))
        made.append(question)
    session.flush()
    return made


@pytest.fixture
def users(session):
    return (
        accounts.create_user(session, email="ann@example.com", password="ann's long password"),
        accounts.create_user(session, email="bob@example.com", password="bob's long password"),
    )
