"""Prompts and small refusals: a yes-or-no asked again, what Ctrl-C says, blank batch lines, unknown roles."""

import json

from rehearse.practice import terminal

ANSWER = "We keep a fixed share of capacity for debt every sprint, agreed with product.\n.\n"


def test_another_question_asks_again_on_a_reply_that_is_not_yes_or_no(rehearse):
    result = rehearse("practice", "--role", "engineering-manager", input=ANSWER + "\n" + "maybe\n" + "n\n")
    assert result.exit_code == 0, result.output
    assert "Answer y or n" in result.stdout
    assert result.stdout.count("Another question?") == 2
    assert result.stdout.count("Type your answer") == 1  # "maybe" was not a yes


def test_ctrl_c_at_the_rating_prompt_does_not_speak_of_an_answer_in_progress(rehearse, monkeypatch):
    def interrupted(prompt):
        raise KeyboardInterrupt

    monkeypatch.setattr(terminal, "ask", interrupted)
    result = rehearse("practice", "--role", "engineering-manager", input=ANSWER)
    assert result.exit_code == 130
    assert "Every answer you finished is saved." in result.stdout
    assert "in progress" not in result.stdout


def test_ctrl_c_while_answering_says_that_answer_was_not_saved(rehearse, monkeypatch):
    def interrupted(use_editor):
        raise KeyboardInterrupt

    monkeypatch.setattr(terminal, "read_answer", interrupted)
    result = rehearse("practice", "--role", "engineering-manager", input="")
    assert result.exit_code == 130
    assert "the one in progress was not" in result.stdout


def test_blank_lines_in_a_feedback_batch_are_skipped_and_the_others_keep_their_line_numbers(rehearse, tmp_path):
    batch = tmp_path / "batch.jsonl"
    good = json.dumps({"question": "prioritise", "answer": "A fixed share of capacity, agreed with product."})
    batch.write_text(f"{good}\n\n   \n{good}\nnot json\n", encoding="utf-8")
    result = rehearse("feedback", "--batch", batch, "--backend", "lexical")
    assert result.exit_code == 1  # the line that is not JSON
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(outputs) == 3
    assert "score" in outputs[0] and "score" in outputs[1]
    assert outputs[2]["error"].startswith(f"{batch}:5:")
    assert "1 of 3 lines" in result.stderr


def test_questions_list_for_an_unknown_role_is_an_error_naming_it(rehearse):
    result = rehearse("questions", "list", "--role", "nosuch")
    assert result.exit_code == 2
    assert "there is no role 'nosuch'" in result.stderr
    assert len(json.loads(rehearse("questions", "list", "--role", "engineering-manager", "--json").stdout)) == 2


def test_questions_list_for_an_unknown_bank_is_an_error_naming_it(rehearse):
    for args in (("--bank", "nosuch"), ("--bank", "nosuch", "--role", "engineering-manager")):
        result = rehearse("questions", "list", *args)
        assert result.exit_code == 2 and "there is no bank 'nosuch'" in result.stderr, args
