"""Hypothesis strategies for banks that every format should carry unchanged."""

from hypothesis import strategies as st

from rehearse.formats import BankDoc, QuestionDoc, RoleDoc

# Words include the characters real banks use: curly quotes, dashes, accents, punctuation.
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éü’“”—–&%$()/:'\"",
               min_size=1, max_size=10).filter(lambda w: w[0] not in "-#>*0123456789")


def sentence(min_words: int = 1, max_words: int = 12):
    return st.lists(WORD, min_size=min_words, max_size=max_words).map(" ".join)


def paragraph():
    return st.lists(sentence(3, 12), min_size=1, max_size=3).map(lambda parts: ". ".join(parts) + ".")


slugs = st.from_regex(r"[a-z][a-z0-9]{2,10}(-[a-z0-9]{2,8}){0,2}", fullmatch=True)

questions = st.builds(
    QuestionDoc,
    text=sentence(3, 14).map(lambda s: s + "?"),
    slug=slugs,
    kind=st.sampled_from(["behavioural", "situational", "other"]),
    competencies=st.lists(st.sampled_from(["hiring", "strategy", "incidents", "culture", "security"]),
                          unique=True, max_size=3).map(tuple),
    intent=st.one_of(st.none(), paragraph()),
    talking_points=st.lists(sentence(1, 8).filter(lambda s: "|" not in s), min_size=1, max_size=5).map(tuple),
    example_answer=st.one_of(st.none(), paragraph()),
)


@st.composite
def banks(draw):
    role_count = draw(st.integers(1, 2))
    roles, used = [], set()
    for index in range(role_count):
        role_questions = draw(st.lists(questions, min_size=1, max_size=4, unique_by=lambda q: q.slug))
        role_questions = [q for q in role_questions if q.slug not in used]
        used.update(q.slug for q in role_questions)
        if not role_questions:
            role_questions = [QuestionDoc(text="Why this role?", slug=f"fallback-{index}", kind="other",
                                          talking_points=("A reason",))]
            used.add(f"fallback-{index}")
        roles.append(RoleDoc(name=draw(sentence(1, 4)) + f" {index}", slug=f"role-{index}",
                             description=draw(st.one_of(st.none(), paragraph())), questions=tuple(role_questions)))
    return BankDoc(name=draw(sentence(1, 5)), source=draw(st.one_of(st.none(), sentence(1, 4))),
                   licence=draw(st.one_of(st.none(), st.sampled_from(["CC-BY-4.0", "MIT"]))), roles=tuple(roles))
