"""A CSV quote out of place is refused at its row, saying what went wrong, never imported as mangled text."""

import pytest

from rehearse.formats import FormatError, read_text

HEADER = "bank,role,slug,text,talking_points\n"


def refusal(rows: str) -> str:
    with pytest.raises(FormatError) as refused:
        read_text(HEADER + rows, file="bank.csv", format="csv")
    return str(refused.value)


def test_a_stray_quote_inside_a_quoted_cell_is_refused_saying_how_to_write_one():
    message = refusal('B,R,q1,"Tell me about "the" time you failed",a | b\n')
    assert message.startswith("bank.csv:2: ") and 'written twice: "Tell me about ""the"" time"' in message


def test_a_doubled_quote_inside_a_quoted_cell_is_a_quote():
    result = read_text(HEADER + 'B,R,q1,"Tell me about ""the"" time you failed",a | b\n', file="b.csv", format="csv")
    assert result.bank.roles[0].questions[0].text == 'Tell me about "the" time you failed'


def test_a_quote_opened_on_one_line_and_closed_lines_later_before_text_names_both_lines():
    message = refusal('B,R,q1,"Tell me about the time,a | b\nB,R,q2,Second?,a | b\nB,R,q3,Third?,"an answer"\n')
    assert message.startswith("bank.csv:2: ") and "runs on to line 4" in message
    assert "closing quote missing on line 2" in message


def test_a_quote_closed_lines_later_at_a_cell_boundary_is_explained_not_only_counted():
    message = refusal('B,R,q1,"Tell me about the time,a | b\nB,R,q2,Second?"\n')
    assert message.startswith("bank.csv:2: expected 5 cells, as in the header; found 4: ")
    assert "a quoted cell opened on line 2 is closed only on line 3" in message
