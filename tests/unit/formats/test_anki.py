"""The export-only formats: the Anki deck carries the bank's source, licence and contributors, and an example
answer's paragraphs stay paragraphs, on a card and on the prep sheet."""

import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from rehearse.formats import BankDoc, QuestionDoc, RoleDoc, write

BANK = BankDoc(name="Coach PM Bank", source="Written by <Lena> Ortiz", licence="CC-BY-SA-4.0",
               description="PM questions.", contributors=("Ana", "Bo"),
               roles=(RoleDoc(name="PM", slug="pm", questions=(
                   QuestionDoc(text="Why product?", slug="why", talking_points=("motivation",),
                               example_answer="First paragraph.\n\nSecond <b>paragraph</b>."),)),))


def deck_table(name: str) -> list:
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(io.BytesIO(write(BANK, "anki"))) as package:
            package.extract("collection.anki2", folder)
        connection = sqlite3.connect(Path(folder) / "collection.anki2")
        try:
            return connection.execute(f"SELECT {name} FROM col").fetchone()  # noqa: S608 - a fixed column name
        finally:
            connection.close()


def test_the_deck_description_gives_the_source_licence_and_contributors_escaped():
    decks = json.loads(deck_table("decks")[0])
    [deck] = [d for d in decks.values() if d["name"] == "Coach PM Bank"]
    assert deck["desc"] == ("<p>PM questions.</p><p>Source: Written by &lt;Lena&gt; Ortiz. Licence: CC-BY-SA-4.0. "
                            "Contributors: Ana, Bo.</p>")


def test_an_example_answers_paragraphs_stay_paragraphs_on_the_card_escaped():
    [fields] = _note_fields()
    assert fields.split("\x1f")[3] == "<p>First paragraph.</p><p>Second &lt;b&gt;paragraph&lt;/b&gt;.</p>"


def test_an_example_answers_paragraphs_stay_paragraphs_on_the_prep_sheet_escaped():
    sheet = write(BANK, "prep-sheet").decode("utf-8")
    assert "<div class=example><p>First paragraph.</p><p>Second &lt;b&gt;paragraph&lt;/b&gt;.</p></div>" in sheet


def _note_fields() -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(io.BytesIO(write(BANK, "anki"))) as package:
            package.extract("collection.anki2", folder)
        connection = sqlite3.connect(Path(folder) / "collection.anki2")
        try:
            return [row[0] for row in connection.execute("SELECT flds FROM notes")]
        finally:
            connection.close()
