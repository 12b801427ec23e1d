"""What counts as a text that shows nothing: the never-blank rules of the community and the accounts use it."""

from __future__ import annotations

import pytest

from rehearse.formats.model import is_blank


@pytest.mark.parametrize(("text", "blank"), [
    ("", True),
    (None, True),
    ("  \n\t", True),
    ("\u200b", True),  # zero-width space: str.strip() keeps it
    ("\u2060\ufeff\u200d", True),  # word joiner, BOM, zero-width joiner
    ("\u202e\u200f", True),  # bidi controls
    ("\u3164\uffa0", True),  # Hangul fillers: letters that draw nothing
    ("\u2800", True),  # the blank Braille pattern
    ("\ufe0f\u034f", True),  # a variation selector and the combining grapheme joiner, alone
    ("\u00a0\u3000", True),  # no-break and ideographic spaces
    ("a", False),
    ("\u200ba\u200b", False),
    ("😀", False),
    ("ж", False),
    ("·", False),
])
def test_a_text_is_blank_when_it_shows_nothing(text, blank):
    assert is_blank(text) is blank
