"""Export-only formats: an Anki deck and a printable prep sheet."""

from __future__ import annotations

import hashlib
import html
import io
import re
import tempfile
from pathlib import Path

from .model import BankDoc

_BLANK_LINES = re.compile(r"\n\s*\n")


def _paragraphs(text: str | None) -> str:
    """Text as escaped HTML paragraphs: a blank line starts a new one, a single line break stays one."""
    parts = [part.strip() for part in _BLANK_LINES.split(text or "") if part.strip()]
    return "".join(f"<p>{html.escape(part).replace(chr(10), '<br>')}</p>" for part in parts)


def _stable_id(*parts: str) -> int:
    """Anki wants 31-bit ids that stay the same across exports so re-imports update cards."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") >> 1 | 1 << 30


def write_anki(bank: BankDoc) -> bytes:
    import genanki  # imported here: only this export needs it

    model = genanki.Model(
        _stable_id("rehearse-model-v1"),
        "Rehearse question",
        fields=[{"name": "Question"}, {"name": "Intent"}, {"name": "TalkingPoints"}, {"name": "Example"},
                {"name": "Slug"}],
        templates=[{
            "name": "Recall the talking points",
            "qfmt": "<div class=q>{{Question}}</div><p><i>What would a strong answer cover?</i></p>",
            "afmt": "{{FrontSide}}<hr id=answer><div>{{Intent}}</div><ul>{{TalkingPoints}}</ul>"
                    "<details><summary>Example answer</summary>{{Example}}</details>",
        }],
        css=".card{font-family:system-ui,sans-serif;font-size:18px;text-align:left}.q{font-weight:600}",
    )
    deck = genanki.Deck(_stable_id("rehearse-deck", bank.name), bank.name, description=_credits_html(bank))
    for role in bank.roles:
        for q in role.questions:
            points = "".join(f"<li>{html.escape(point)}</li>" for point in q.talking_points or ())
            note = genanki.Note(
                model=model,
                fields=[html.escape(q.text), _paragraphs(q.intent), points, _paragraphs(q.example_answer),
                        q.slug or ""],
                guid=genanki.guid_for(bank.name, role.name, q.slug or q.text),
                tags=[role.slug or role.name.replace(" ", "_"), *(c.replace(" ", "_") for c in q.competencies)],
            )
            deck.add_note(note)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "deck.apkg"
        genanki.Package(deck).write_to_file(str(path))
        return path.read_bytes()


def _credits_html(bank: BankDoc) -> str:
    """Source, licence and contributors, for the deck's description (what Anki shows on the deck's page).

    Not on each card: a field or template text more would change the note type, and a deck imported again
    would no longer update the cards already studied."""
    e = html.escape
    said = [f"{label}: {e(value)}." for label, value in (
        ("Source", bank.source), ("Licence", bank.licence), ("Contributors", ", ".join(bank.contributors)))
        if value]
    described = f"<p>{e(bank.description)}</p>" if bank.description else ""
    return described + (f"<p>{' '.join(said)}</p>" if said else "")


def write_prep_sheet(bank: BankDoc) -> str:
    """A self-contained HTML page laid out for printing: one question per block, points as checkboxes."""
    out = io.StringIO()
    e = html.escape
    out.write(
        "<!doctype html><html lang=en><meta charset=utf-8>"
        f"<title>{e(bank.name)} — prep sheet</title><style>"
        "body{font:11pt/1.45 Georgia,serif;max-width:46rem;margin:2rem auto;color:#111}"
        "h1{font-size:18pt}h2{font-size:14pt;border-bottom:1px solid #999;margin-top:2rem}"
        "section{break-inside:avoid;margin:1.2rem 0}h3{font-size:11.5pt;margin:.2rem 0}"
        ".intent{color:#333;font-style:italic}ul{list-style:'☐ ';}.example{border-left:3px solid #ccc;"
        "padding-left:.8rem;color:#222}.notes{height:4rem;border:1px dashed #bbb;margin-top:.4rem}"
        "@media print{body{margin:0}a{color:inherit}}</style>"
    )
    out.write(f"<h1>{e(bank.name)}</h1>")
    if bank.description:
        out.write(f"<p>{e(bank.description)}</p>")
    if bank.licence or bank.contributors:
        credits = f"Licence: {e(bank.licence)}." if bank.licence else ""
        if bank.contributors:
            credits += f" Contributors: {e(', '.join(bank.contributors))}."
        out.write(f"<p class=credits>{credits.strip()}</p>")
    for role in bank.roles:
        out.write(f"<h2>{e(role.name)}</h2>")
        for number, q in enumerate(role.questions, start=1):
            out.write(f"<section><h3>{number}. {e(q.text)}</h3>")
            if q.intent:
                out.write(f"<div class=intent>{_paragraphs(q.intent)}</div>")
            if q.talking_points:
                out.write("<ul>" + "".join(f"<li>{e(p)}</li>" for p in q.talking_points) + "</ul>")
            if q.example_answer:
                out.write(f"<div class=example>{_paragraphs(q.example_answer)}</div>")
            out.write("<div class=notes aria-label='notes'></div></section>")
    out.write("</html>\n")
    return out.getvalue()
