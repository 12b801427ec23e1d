"""Export a stored bank, import the file again: the same bank, and nothing changes."""

import pytest
from hypothesis import HealthCheck, given, settings
from tests.strategies import banks

from rehearse.bank import service
from rehearse.formats import read_text, write


@pytest.mark.parametrize("format", ["json", "yaml", "markdown", "csv"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bank=banks())
def test_export_then_import_gives_the_same_bank(session, format, bank):
    nested = session.begin_nested()
    try:
        service.import_bank(session, bank)
        [exported] = [doc for doc in service.export_bank(session) if doc.name == bank.name]
        file_text = write(exported, format).decode("utf-8")
        summary = service.import_bank(session, read_text(file_text, file=f"x.{format}", format=format).bank)
        assert (summary.created, summary.updated) == (0, 0)
        [again] = [doc for doc in service.export_bank(session) if doc.name == bank.name]
        assert again == exported
        assert [q.text for r in again.roles for q in r.questions] == [q.text for r in bank.roles for q in r.questions]
    finally:
        nested.rollback()


def test_a_page_export_imported_again_updates_the_same_bank_and_questions(session):
    """The page format has no slugs, kinds or competencies: its bank header names the bank, and each
    question is the stored one of the same text in its role."""
    from rehearse.bank.builtin import read_builtin

    nested = session.begin_nested()
    try:
        [builtin] = [result.bank for result in read_builtin()][:1]
        service.import_bank(session, builtin)
        [exported] = [doc for doc in service.export_bank(session) if doc.name == builtin.name]
        file_text = write(exported, "page").decode("utf-8")
        summary = service.import_bank(session, read_text(file_text, file="/tmp/export.txt", format="page").bank)
        assert (summary.banks, summary.created, summary.updated) == ([builtin.name], 0, 0)
        [again] = [doc for doc in service.export_bank(session) if doc.name == builtin.name]
        assert again == exported
    finally:
        nested.rollback()
