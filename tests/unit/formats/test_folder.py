"""What a folder given to import is read as: its bank files one by one, or one bank of question files."""

from __future__ import annotations

import pytest

from rehearse.formats import FormatError, read_folder, read_path

YAML = """\
bank: {name: Folder bank}
roles:
  - name: Engineer
    questions:
      - slug: review
        text: How do you review code?
        talking_points: [tone, speed]
"""
CSV = "bank,role,slug,text,talking_points\nFolder bank,Engineer,test,How do you test code?,unit | integration\n"
MARKDOWN = """\
---
bank: Folder bank
---

## Role: Engineer

### How do you deploy code?
- Slug: deploy

#### Talking points
1. pipelines
2. rollbacks
"""
JSON = '{"bank": {"name": "Folder bank"}, "roles": [{"name": "Engineer", "questions": [\n' \
       '  {"slug": "plan", "text": "How do you plan a sprint?", "talking_points": ["scope"]}]}]}\n'
QUESTION_FILE = """\
# How do you handle conflict?

## Why This Is Asked
To see how you work with others.

## Key Points to Cover
- listening first
- a shared goal
"""


def _folder(tmp_path, files: dict[str, str | bytes]):
    for name, content in files.items():
        path = tmp_path / "banks" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return tmp_path / "banks"


def test_a_folder_of_bank_files_reads_each_file_in_sorted_order(tmp_path):
    folder = _folder(tmp_path, {"c.md": MARKDOWN, "a.yaml": YAML, "b.csv": CSV, "d.json": JSON})
    read = read_folder(folder)
    assert read.layout == "bank files"
    assert [file for file, _ in read.files] == [str(folder / name) for name in ("a.yaml", "b.csv", "c.md", "d.json")]
    assert [result.bank.roles[0].questions[0].slug for _, result in read.files] == ["review", "test", "deploy", "plan"]


def test_each_file_of_a_folder_is_read_as_it_is_when_named_alone(tmp_path):
    folder = _folder(tmp_path, {"a.yaml": YAML, "b.csv": CSV})
    assert [result for _, result in read_folder(folder).files] == [read_path(folder / "a.yaml"),
                                                                    read_path(folder / "b.csv")]


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("README.md", "# About these banks\n\nWritten by us.\n", "no 'bank:' front matter"),
    ("logo.png", b"\x89PNG\r\n\x1a\n", "Rehearse reads .txt, .md"),
    ("package.json", '{"name": "banks", "version": "1.0.0"}\n', 'no "bank" key'),
    ("config.yaml", "theme: dark\n", "no 'bank:' key"),
    ("notes.txt", "Remember to practise daily.\n", "no 'Interview Questions for"),
    ("people.csv", "name,email\nAnn,ann@example.com\n", "no header naming the bank and text columns"),
])
def test_a_file_that_is_no_bank_is_skipped_with_a_warning_naming_it(tmp_path, name, content, reason):
    folder = _folder(tmp_path, {"a.yaml": YAML, name: content})
    read = read_folder(folder)
    assert [file for file, _ in read.files] == [str(folder / "a.yaml")]
    [warning] = read.warnings
    assert warning.file == str(folder / name) and "skipped: not a bank file" in warning.message
    assert reason in warning.message


def test_a_folder_of_question_files_is_still_one_bank(tmp_path):
    folder = _folder(tmp_path, {"01_teamwork/conflict.md": QUESTION_FILE, "01_teamwork/questions.md": "# Index\n"})
    read = read_folder(folder)
    assert read.layout == "question files"
    [(file, result)] = read.files
    assert file == str(folder) and result.bank.name == "banks"
    assert result.bank.roles[0].questions[0].competencies == ("teamwork",)


def test_a_folder_mixing_bank_files_and_question_files_is_refused_naming_both(tmp_path):
    folder = _folder(tmp_path, {"a.yaml": YAML, "conflict.md": QUESTION_FILE})
    with pytest.raises(FormatError) as refused:
        read_folder(folder)
    assert refused.value.file == str(folder)
    assert refused.value.expected == "a folder of bank files, or of one-question Markdown files, not both"
    assert refused.value.found.startswith("the bank files a.yaml and the question files conflict.md (import the bank "
                                          "files by name")


def test_a_folder_with_no_bank_file_is_refused(tmp_path):
    folder = _folder(tmp_path, {"README.md": "# Nothing here\n"})
    with pytest.raises(FormatError, match="found only files that are neither: README.md$"):
        read_folder(folder)


def test_a_bank_file_in_a_folder_that_is_malformed_is_refused_at_its_own_line(tmp_path):
    folder = _folder(tmp_path, {"a.yaml": YAML, "b.yaml": "bank: {name: B}\nroles:\n  - name: R\n    questions: 3\n"})
    with pytest.raises(FormatError) as refused:
        read_folder(folder)
    assert (refused.value.file, refused.value.line) == (str(folder / "b.yaml"), 4)


def test_read_path_of_a_folder_of_several_bank_files_points_to_read_folder(tmp_path):
    with pytest.raises(FormatError, match="read_folder"):
        read_path(_folder(tmp_path, {"a.yaml": YAML, "b.csv": CSV}))
