"""`rehearse feedback` as users run it: one answer, or a JSONL batch, against a stored bank."""

import json
import subprocess
import sys

import pytest

BANK = """\
bank: {name: CLI feedback bank, licence: CC-BY-4.0}
roles:
  - name: Engineering Manager
    questions:
      - slug: underperformer
        text: Tell me about a time you turned around an underperforming engineer.
        kind: behavioural
        talking_points:
          - how you confirmed the problem with evidence
          - the direct conversation
          - the improvement plan and support
          - the measurable outcome
        example_answer: >-
          I looked at two months of reverted pull requests before raising it. In our one-on-one
          I named the examples. We agreed a six-week plan with pairing and weekly check-ins.
          By week five he shipped with no reverts.
      - slug: prioritise
        text: How do you prioritise technical debt against new features?
        kind: situational
        talking_points:
          - a way to size the cost of the debt
          - a fixed share of capacity
          - agreement with product
"""

ANSWERS = [
    ("underperformer", "A senior developer's reviews slowed to five days. I pulled a quarter of data first, "
                       "then raised it in our one-on-one with three examples. We agreed eight weeks of pairing "
                       "and smaller tickets. His review time fell under a day."),
    ("prioritise", "We keep twenty percent of each sprint for debt, and I size each item by the hours it costs "
                   "us every month so product can compare it with a feature."),
    ("underperformer", "I would talk to them."),
    ("prioritise", "Honestly it depends on the situation and the team."),
    ("underperformer", "I checked the on-call logs, then had a frank talk; the plan had weekly goals and by the "
                       "end incidents he caused dropped from six to one."),
    ("prioritise", "Debt gets a line in the roadmap; product and I agree the order every quarter."),
]


def rehearse(env, *args):
    return subprocess.run([sys.executable, "-m", "rehearse", *args], env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def bank_env(cli_env, tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    result = rehearse(cli_env, "import", str(path))
    assert result.returncode == 0, result.stderr
    return cli_env


def write_batch(tmp_path, lines):
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_one_answer_prints_its_report_as_json(bank_env, tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWERS[0][1], encoding="utf-8")
    result = rehearse(bank_env, "feedback", "underperformer", "--answer-file", str(answer), "--json",
                      "--backend", "lexical")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"score", "talking_points", "structure", "specificity", "delivery", "suggestions"} <= report.keys()
    assert [p["point"] for p in report["talking_points"]][0] == "how you confirmed the problem with evidence"


@pytest.mark.parametrize(("answer", "reason"), [("", "answer is empty"), ("  \n", "answer is empty"),
                                               ("我们每周进行一对一会谈。", "Latin alphabet")])
def test_an_answer_that_cannot_be_scored_is_refused_as_the_web_app_refuses_it(bank_env, tmp_path, answer, reason):
    path = tmp_path / "answer.txt"
    path.write_text(answer, encoding="utf-8")
    result = rehearse(bank_env, "feedback", "underperformer", "--answer-file", str(path), "--backend", "lexical")
    assert result.returncode != 0 and reason in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_batch_answers_line_by_line_in_order_with_errors_in_place(bank_env, tmp_path):
    batch = write_batch(tmp_path, [
        json.dumps({"question": "prioritise", "answer": ANSWERS[1][1]}),
        "{not json",
        json.dumps({"question": "no-such-question", "answer": "Anything."}),
        "",
        json.dumps({"question": "underperformer", "answer": ANSWERS[0][1]}),
        json.dumps({"question": "underperformer", "answer": "   "}),
    ])
    result = rehearse(bank_env, "feedback", "--batch", str(batch), "--backend", "lexical")
    assert result.returncode == 1  # some lines could not be scored
    assert "Traceback" not in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 5  # the blank line 4 is skipped; the lines after it keep their numbers
    assert lines[0]["talking_points"][0]["point"] == "a way to size the cost of the debt"
    assert lines[1]["error"].startswith(f"{batch}:2:")
    assert lines[2]["error"].startswith(f"{batch}:3:") and "no-such-question" in lines[2]["error"]
    assert lines[3]["talking_points"][0]["point"] == "how you confirmed the problem with evidence"
    assert lines[4]["error"].startswith(f"{batch}:6: The answer is empty")


def test_scoring_a_batch_on_several_threads_gives_the_reports_of_one(bank_env, tmp_path):
    batch = write_batch(tmp_path, [json.dumps({"question": q, "answer": a}) for q, a in ANSWERS * 2])
    one = rehearse(bank_env, "feedback", "--batch", str(batch), "--jobs", "1")
    assert one.returncode == 0, one.stderr
    four = rehearse(bank_env, "feedback", "--batch", str(batch), "--jobs", "4")
    assert four.returncode == 0, four.stderr
    assert len(one.stdout.splitlines()) == len(ANSWERS) * 2
    assert four.stdout == one.stdout  # byte for byte, in input order


def test_a_batch_file_that_cannot_be_read_is_a_clear_error(bank_env, tmp_path):
    missing = tmp_path / "missing.jsonl"
    result = rehearse(bank_env, "feedback", "--batch", str(missing))
    assert result.returncode == 2
    assert f"{missing}: cannot read the batch file" in result.stderr.replace("\n", "")
    assert "Traceback" not in result.stderr


def _rubric_rows(env) -> int:
    import sqlite3

    with sqlite3.connect(env["REHEARSE_DATABASE_URL"].removeprefix("sqlite:///")) as db:
        return db.execute("SELECT count(*) FROM question_vectors WHERE model LIKE '% rubric %'").fetchone()[0]


def test_a_batch_keeps_the_rubric_vectors_and_the_next_one_scores_the_same_with_them(bank_env, tmp_path):
    from rehearse import feedback

    if not feedback.load_backend("auto").semantic:
        pytest.skip("no sentence model installed: the lexical fallback stores nothing")
    batch = write_batch(tmp_path, [json.dumps({"question": q, "answer": a}) for q, a in ANSWERS])
    lexical = rehearse(bank_env, "feedback", "--batch", str(batch), "--backend", "lexical")
    assert lexical.returncode == 0 and _rubric_rows(bank_env) == 0
    cold = rehearse(bank_env, "feedback", "--batch", str(batch))
    assert cold.returncode == 0, cold.stderr
    assert _rubric_rows(bank_env) > 0  # both questions' points, example sentences and queries
    warm = rehearse(bank_env, "feedback", "--batch", str(batch))
    assert warm.stdout == cold.stdout
