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
