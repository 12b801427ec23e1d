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


# Lines that look like the formats' own structure (Markdown headings and labels, the page format's
# lines, list items, escapes) and ordinary ones with spaces around them: free text may hold any of them.
STRUCTURE_LINES = st.sampled_from([
    "### Not a heading", "## Role: Fake", "#### Intent", "#### Example answer", "# Title", "#", "#hashtag",
    "- Slug: fake", "- Kind: other", "Slug: fake-role", "slug: lower", "---", "1. a numbered line", "- a bullet",
    "\\# already escaped", "\\", "\\\\two", "Answer Example: \"quoted\"", "Talking point: sneaky",
    "Help us improve this answer. / -", "Interview Questions for Someone", "-", "a | pipe", "trailing  ",
    "  indented", "",
])


def free_text():
    """Several lines of prose and structure-like lines, as stored: trimmed at both ends, never empty."""
    line = st.one_of(STRUCTURE_LINES, sentence(1, 8))
    return st.lists(line, min_size=1, max_size=8).map(lambda lines: "\n".join(lines).strip()).filter(bool)


def text_field():
    return st.one_of(st.none(), paragraph(), free_text())


# Talking points may hold the CSV separator and backslashes, and lines of their own, among them lines that look
# like list items, headings and escapes; two that read alike are one point.
ONE_LINE_POINT = st.lists(st.one_of(WORD, st.sampled_from(["|", "\\", "\\|", "a|b", "x\\"])), min_size=1,
                          max_size=8).map(" ".join)
POINT = st.one_of(
    ONE_LINE_POINT,
    st.lists(st.one_of(ONE_LINE_POINT, STRUCTURE_LINES), min_size=2, max_size=4)
    .map(lambda lines: "\n".join(lines).strip()).filter(bool),
)


slugs = st.from_regex(r"[a-z][a-z0-9]{2,10}(-[a-z0-9]{2,8}){0,2}", fullmatch=True)

questions = st.builds(
    QuestionDoc,
    text=sentence(3, 14).map(lambda s: s + "?"),
    slug=slugs,
    kind=st.sampled_from(["behavioural", "situational", "other"]),
    competencies=st.lists(st.sampled_from(["hiring", "strategy", "incidents", "culture", "security"]),
                          unique=True, max_size=3).map(tuple),
    intent=text_field(),
    talking_points=st.lists(POINT, min_size=1, max_size=5,
                            unique_by=lambda point: " ".join(point.split()).casefold()).map(tuple),
    example_answer=text_field(),
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
                             description=draw(text_field()), questions=tuple(role_questions)))
    return BankDoc(name=draw(sentence(1, 5)), source=draw(st.one_of(st.none(), sentence(1, 4))),
                   licence=draw(st.one_of(st.none(), st.sampled_from(["CC-BY-4.0", "MIT"]))), roles=tuple(roles))
