"""What a refused bank file is told: the file, the line, what is wrong in plain words, and what to do."""

from __future__ import annotations

import pytest

from rehearse.formats import FormatError, read_bytes, read_text

YAML = """\
bank: {name: Encoded bank}
roles:
  - name: Engineer
    questions:
      - slug: review
        text: How do you review code — and why?
        talking_points: [tone, speed]
"""


def _refusal(text: str, format: str) -> FormatError:
    with pytest.raises(FormatError) as refused:
        read_text(text, file=f"bank.{format}", format=format)
    return refused.value


@pytest.mark.parametrize("format", ["json", "yaml", "csv", "markdown", "page"])
@pytest.mark.parametrize("text", ["", "  \n\n\t\n", "\r\n"])
def test_an_empty_or_blank_file_is_refused_as_empty(format, text):
    refused = _refusal(text, format)
    assert refused.line == 1 and str(refused) == (f"bank.{format}:1: expected a bank; found an empty file (or only "
                                                  "spaces and blank lines)")


def test_a_utf8_byte_order_mark_is_accepted():
    assert read_bytes(YAML.encode("utf-8-sig"), file="bank.yaml", format="yaml") == \
        read_bytes(YAML.encode("utf-8"), file="bank.yaml", format="yaml")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_or_utf32_with_its_byte_order_mark_is_decoded(encoding):
    data = YAML.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # Python writes the mark only for the native order
    result = read_bytes(data, file="bank.yaml", format="yaml")
    assert result.bank.roles[0].questions[0].text == "How do you review code — and why?"


def test_utf16_without_its_byte_order_mark_is_named_as_such():
    with pytest.raises(FormatError, match="looks like UTF-16 without a byte-order mark .save it again as UTF-8"):
        read_bytes(YAML.encode("utf-16-le"), file="bank.yaml", format="yaml")


def test_a_windows_1252_file_names_its_line_and_says_to_save_it_as_utf8():
    with pytest.raises(FormatError) as refused:
        read_bytes(YAML.encode("cp1252"), file="bank.yaml", format="yaml")
    assert refused.value.line == 6
    assert str(refused.value).startswith("bank.yaml:6: expected UTF-8 text; found byte 0x97, which UTF-8 does not "
                                         "allow there")
    assert refused.value.found.endswith("(save it again as UTF-8)")


def test_a_csv_separated_by_semicolons_with_rehearses_header_is_read():
    result = read_text('bank;role;text;talking_points\nB;Engineer;"How do you test; and why?";units | flows\n',
                       file="bank.csv", format="csv")
    [question] = result.bank.roles[0].questions
    assert (question.text, question.talking_points) == ("How do you test; and why?", ("units", "flows"))


def test_a_csv_separated_by_semicolons_without_rehearses_header_says_so():
    refused = _refusal("Bank;Rolle;Frage\nB;R;Wie?\n", "csv")
    assert refused.line == 1
    assert "found no column named bank, role or text: this file separates columns with ';', not commas" in str(refused)


@pytest.mark.parametrize(("text", "line", "said"), [
    ('{"bank": {"name": "B"},\n "roles": [{"name": "R", "questions": [\n  {"text": "Q?",}\n]}]}\n', 3,
     "expected valid JSON at column 16; found a comma after the last item before '}', which JSON does not allow "
     "(remove it)"),
    ('{"bank": {"name": "B"},\n "roles": [1, 2,\n]}\n', 2, "column 16; found a comma after the last item before ']'"),
    ('{"bank": {"name": "B"}\n "roles": []}\n', 2, "expected a comma between two items at column 2; found '\"'"),
    ("{'bank': {}}\n", 1, "expected a key in double quotes (\"text\": …) at column 2; found \"'\" (JSON has no single "
                          "quotes"),
    ('{"bank": {"name": "B}}\n', 1, "expected a closing double quote for the text on this line at column 23; found the "
                                    "end of the line first"),
    ('{"bank": {}} {}\n', 1, "expected the end of the file after the bank's document (one {…} per file) at column 14; "
                             "found more text, starting '{'"),
])
def test_a_json_syntax_error_gives_line_column_and_plain_words(text, line, said):
    refused = _refusal(text, "json")
    assert refused.line == line and said in str(refused)
    assert "Expecting" not in str(refused)


def test_a_yaml_value_with_colon_space_is_told_it_needs_quotes_at_its_line():
    refused = _refusal("bank: {name: B}\nroles:\n  - name: R\n    questions:\n"
                       "      - text: Tell me about a time: what happened?\n", "yaml")
    assert refused.line == 5
    assert str(refused) == ("bank.yaml:5: expected valid YAML; found a value that contains ': ' without quotes, so YAML "
                            'reads a second key in it (write text: "Tell me about a time: what happened?")')
