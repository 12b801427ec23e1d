"""Re-importing a bank keeps its community edits: a file replaces one only with wording the question never
had, and says so (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid

import pytest

from rehearse.accounts import service as accounts
from rehearse.bank import service as bank
from rehearse.community import service as community
from rehearse.formats import read_text, write

MASTER = """\
bank:
  name: Coach PM Bank
  source: Written by a career coach
  licence: CC-BY-SA-4.0
roles:
  - name: Product Manager
    slug: product-manager
    questions:
      - slug: pm-prioritise-roadmap
        text: "How do you decide what goes on the roadmap when every stakeholder says it is urgent?"
        kind: situational
        competencies: [prioritisation]
        talking_points:
          - "a named framework such as RICE or cost of delay"
          - "evidence of customer or revenue impact"
          - "how you communicate a no to a stakeholder"
        example_answer: "I score every request with RICE and show the scores to whoever asked."
"""
COMMUNITY_POINT = "how you say no to a stakeholder while keeping their trust"


def master(text: str = MASTER):
    return read_text(text, file="pm.v1.yaml", format="yaml").bank


def _user(session, role: str):
    return accounts.create_user(session, email=f"{role}-{uuid.uuid4().hex[:8]}@example.com",
                                password="a long enough password", display_name=role.capitalize(), role=role)


@pytest.fixture
def edited(session):
    """The master imported, then a community edit of its third talking point accepted."""
    bank.import_bank(session, master())
    question = bank.get_question(session, "pm-prioritise-roadmap")
    points = [*question.talking_points[:2], COMMUNITY_POINT]
    suggestion = community.suggest_edit(session, user=_user(session, "candidate"), question_id=question.id,
                                        reason="clearer", accept_licence=True, talking_points=points)
    community.accept(session, editor=_user(session, "editor"), suggestion_id=suggestion.id)
    return question


def points_now(session):
    session.expire_all()
    return bank.get_question(session, "pm-prioritise-roadmap").talking_points


def test_the_unchanged_master_after_importing_an_export_keeps_the_community_edit(session, edited):
    # The tester's sequence: master, edit, master, export imported back, master again.
    assert bank.import_bank(session, master()).unchanged == 1
    [exported] = bank.export_bank(session, "coach-pm-bank")
    back = bank.import_bank(session, read_text(write(exported, "yaml").decode(), file="exported.yaml",
                                               format="yaml").bank)
    assert back.unchanged == 1 and not back.warnings
    again = bank.import_bank(session, master())
    assert (again.updated, again.unchanged, again.warnings) == (0, 1, [])
    assert points_now(session)[2] == COMMUNITY_POINT


def test_an_older_file_imported_after_the_edit_keeps_the_edit(session):
    # v1, then v2 changed the points, then the community edit; v1 again brings back wording the question had.
    bank.import_bank(session, master())
    bank.import_bank(session, master(MASTER.replace("evidence of customer or revenue impact", "evidence")))
    question = bank.get_question(session, "pm-prioritise-roadmap")
    suggestion = community.suggest_edit(session, user=_user(session, "candidate"), question_id=question.id,
                                        reason="clearer", accept_licence=True,
                                        talking_points=[*question.talking_points[:2], COMMUNITY_POINT])
    community.accept(session, editor=_user(session, "editor"), suggestion_id=suggestion.id)
    assert bank.import_bank(session, master()).warnings == []
    assert points_now(session)[2] == COMMUNITY_POINT


def test_a_file_with_new_wording_replaces_the_edit_and_warns_naming_the_line(session, edited):
    v2 = MASTER.replace("how you communicate a no to a stakeholder", "how you turn a request down")
    summary = bank.import_bank(session, master(v2))
    assert points_now(session)[2] == "how you turn a request down"
    [warning] = summary.warnings
    assert warning.line == 9  # the question's line
    assert "replacing a community edit" in str(warning)


def test_the_warning_names_the_file_not_the_banks_source(session, edited):
    v2 = MASTER.replace("how you communicate a no to a stakeholder", "how you turn a request down")
    [warning] = bank.import_bank(session, master(v2), file="pm.v2.yaml").warnings
    assert str(warning).startswith("pm.v2.yaml:9: ")


def test_a_field_an_import_last_wrote_takes_the_files_value_even_if_it_had_it_before(session):
    # No community edit to keep: an author who goes back to their earlier wording gets it.
    bank.import_bank(session, master())
    bank.import_bank(session, master(MASTER.replace("evidence of customer or revenue impact", "evidence")))
    summary = bank.import_bank(session, master())
    assert summary.updated == 1 and not summary.warnings
    assert points_now(session)[1] == "evidence of customer or revenue impact"


def test_the_bank_renamed_warning_names_the_file(session):
    bank.import_bank(session, master())
    renamed = master(MASTER.replace("name: Coach PM Bank", "name: coach pm bank!"))
    [warning] = bank.import_bank(session, renamed, file="pm.yaml").warnings
    assert warning.file == "pm.yaml" and "renamed" in warning.message
