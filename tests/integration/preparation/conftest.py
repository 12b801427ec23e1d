"""A small bank across several competencies and kinds, and two users, in the rolled-back test session."""

import pytest

from rehearse import feedback
from rehearse.accounts import service as accounts
from rehearse.accounts.models import User
from rehearse.bank.models import Bank, ExampleAnswer, Question, QuestionCompetency, Role
from rehearse.db.database import Database
from rehearse.feedback.engine import GRADES

# (text, kind, competencies, talking points)
QUESTIONS = [
    ("Tell me about a time you handled a major production incident.", "behavioural", ["incidents"],
     ["how you coordinated the response", "how you communicated with customers", "what you changed afterwards"]),
    ("How would you grow a team from 10 to 30 engineers in a year?", "situational", ["hiring"],
     ["a hiring plan", "onboarding", "keeping the bar high"]),
    ("Tell me about a time you changed a team's roadmap after new data.", "behavioural", ["strategy"],
     ["the data you saw", "how you measured the result", "how you brought stakeholders along"]),
    ("How would you decide between building and buying a billing system?", "situational", ["architecture"],
     ["the trade-offs you weigh", "total cost", "the risks of each option"]),
    ("Tell me about a time you coached an engineer who was struggling.", "behavioural", ["coaching"],
     ["how you found the cause", "the plan you agreed", "how things turned out"]),
    ("How would you set up an on-call rotation for a new team?", "situational", ["incidents"],
     ["rotation and escalation", "runbooks", "how you protect people from burnout"]),
    ("Tell me about a time you hired for a role you had never hired for.", "behavioural", ["hiring"],
     ["how you learned what good looks like", "the interview loop", "the outcome"]),
    ("How would you set engineering strategy for the next year?", "situational", ["strategy"],
     ["a phased plan", "key trade-offs", "how you tie goals to company OKRs"]),
]


@pytest.fixture
def bank(session):
    return make_bank(session)


def make_bank(session):
    """The small bank, in this session (so that a second database can have the same one)."""
    bank = Bank(slug="prep-bank", name="Prep bank")
    session.add(bank)
    session.flush()
    role = Role(bank_id=bank.id, slug="prep-role", name="Prep role")
    session.add(role)
    session.flush()
    made = []
    for position, (text, kind, competencies, points) in enumerate(QUESTIONS):
        question = Question(bank_id=bank.id, role_id=role.id, slug=f"p{position}", text=text, kind=kind,
                            position=position, intent=None, talking_points=points, search_document=text)
        session.add(question)
        session.flush()
        for index, name in enumerate(competencies):
            session.add(QuestionCompetency(question_id=question.id, name=name, position=index))
        session.add(ExampleAnswer(question_id=question.id, revision=1,
                                  text=f"A model answer that covers {', '.join(points)}."))
        made.append(question)
    session.flush()
    return {"bank": bank, "role": role, "questions": made}


@pytest.fixture
def users(session):
    return (
        accounts.create_user(session, email="ann@example.com", password="ann's long password"),
        accounts.create_user(session, email="bob@example.com", password="bob's long password"),
    )


@pytest.fixture
def editor(session):
    from rehearse.accounts import service as accounts

    eve = accounts.create_user(session, email="eve@example.com", password_hash="-")
    accounts.set_role(session, email=eve.email, role="editor")
    return eve


def fake_report(score: int, points=("a", "b", "c"), covered=(True, False, False)) -> dict:
    """A report shaped like the engine's, for tests that store attempts without scoring."""
    return {
        "score": score, "grade": next(name for floor, name in GRADES if score >= floor),
        "coverage": sum(covered) / len(points),
        "talking_points": [{"point": p, "covered": c, "strength": 0.8 if c else 0.1, "evidence": None}
                           for p, c in zip(points, covered, strict=True)],
        "on_topic": True,
        "structure": {"kind": "behavioural", "star": {"situation": True, "task": True, "action": True,
                                                      "result": False}, "result_quantified": None},
        "specificity": {"numbers": [], "time_frames": [], "named_practices": [], "job_terms": []},
        "delivery": {"words": 120, "fillers": {"um": 2}, "hedges": {"maybe": 1}, "speaking_seconds": 48},
        "suggestions": [], "breakdown": [], "engine": {},
    }


@pytest.fixture(scope="module")
def semantic():
    backend = feedback.load_backend("auto")
    if not backend.semantic:
        pytest.skip("no semantic sentence model is installed here; only semantic vectors are stored")
    return backend


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh(request, tmp_path):
    """An empty migrated database of its own (warming commits), with the small bank and one user."""
    if request.param == "sqlite":
        database, schema = Database(f"sqlite:///{tmp_path / 'vectors.db'}"), None
    else:
        shared = request.getfixturevalue("postgres_schema")
        schema = type(shared)(shared.base_url)
        database = Database(schema.url)
    database.upgrade()
    with database.transaction(writes=True) as session:
        make_bank(session)
        session.add(User(email="ann@example.com", display_name="ann", password_hash="-", role="candidate"))
    yield database
    database.dispose()
    if schema is not None:
        schema.drop()
