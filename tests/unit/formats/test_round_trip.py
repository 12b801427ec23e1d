"""Writing a bank in any full-fidelity format and reading it back gives the same bank."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from tests.strategies import banks

from rehearse.formats import read_text, write


def without_lines(bank):
    return replace(bank, roles=tuple(replace(role, questions=tuple(replace(q, line=None) for q in role.questions))
                                     for role in bank.roles))


@pytest.mark.parametrize("format", ["json", "yaml", "markdown", "csv"])
@settings(max_examples=60, deadline=None)
@given(bank=banks())
def test_write_then_read_is_identity(format, bank):
    text = write(bank, format).decode("utf-8")
    again = read_text(text, file=f"bank.{format}", format=format).bank
    if format == "csv":  # CSV has no place for bank or role descriptions
        bank = replace(bank, description=None, roles=tuple(replace(r, description=None) for r in bank.roles))
    assert without_lines(again) == without_lines(bank)
