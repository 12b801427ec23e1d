"""A misspelt or mislevelled section heading in a Markdown bank is refused at its line, naming the heading
it probably meant, instead of silently becoming a role, a question, or nothing."""

from __future__ import annotations

import pytest

from rehearse.formats import FormatError, read_text

BANK = """\
---
bank: Typo bank
---

## Role: Engineer

### How do you deploy code?
- Slug: deploy

#### Talking points
1. pipelines
2. rollbacks

{heading}
We ship small changes daily behind flags.
"""
QUESTION_FILE = """\
# How do you handle conflict?

## Why This Is Asked
To see how you work with others.

## Key Points to Cover
- listening first
- a shared goal

{heading}
I listened first.
"""


def _refusal(text: str) -> FormatError:
    with pytest.raises(FormatError) as refused:
        read_text(text, file="bank.md", format="markdown")
    return refused.value


@pytest.mark.parametrize(("heading", "meant", "starts"), [
    ("## Talking Point", "#### Talking points", "role"),
    ("### Exmaple answer", "#### Example answer", "question"),
    ("### Intent", "#### Intent", "question"),
])
def test_a_section_heading_with_too_few_hashes_is_refused_naming_the_heading_meant(heading, meant, starts):
    refused = _refusal(BANK.format(heading=heading))
    assert refused.line == 14
    assert str(refused).startswith(f"bank.md:14: expected {meant!r}, probably; found {heading!r}, which would start "
                                   f"a new {starts}")


def test_a_misspelt_section_heading_says_which_it_probably_meant():
    refused = _refusal(BANK.format(heading="#### Exmaple answer"))
    assert refused.line == 14 and "(did you mean '#### Example answer'?)" in refused.found


def test_a_role_heading_after_a_question_is_still_a_role():
    result = read_text(BANK.format(heading="## Role: Product Manager"), file="bank.md", format="markdown")
    assert [role.name for role in result.bank.roles] == ["Engineer", "Product Manager"]


@pytest.mark.parametrize(("heading", "meant"), [
    ("## Exmaple Response", "## Example Response"),
    ("## Key Point to Cover", "## Key Points to Cover"),
])
def test_a_misspelt_section_of_a_question_file_is_refused_naming_the_section_meant(heading, meant):
    refused = _refusal(QUESTION_FILE.format(heading=heading))
    assert refused.line == 10
    assert str(refused).startswith(f"bank.md:10: expected {meant!r}, probably; found {heading!r}, which is no section")


def test_the_known_sections_a_question_file_skips_are_no_typos():
    result = read_text(QUESTION_FILE.format(heading="## Tips"), file="bank.md", format="markdown")
    assert result.bank.roles[0].questions[0].talking_points == ("listening first", "a shared goal")
