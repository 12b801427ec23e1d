"""The prep sheet's PDF is tagged for screen readers (PDF/UA-1), not one run of untagged text."""

import re
import zlib

import pytest

from rehearse.userdata.sheet import PdfUnavailable, to_pdf

PAGE = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Prep sheet: Staff Engineer</title>'
        "</head><body><h1>Staff Engineer</h1><h2>Your stories</h2><ul><li>Platform queue story</li></ul>"
        "</body></html>")


def _objects(pdf: bytes) -> bytes:
    """The file with its compressed streams inflated, where the structure tree is kept."""
    inflated = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue  # a stream that is not deflated (an image, a font)
    return b"".join(inflated)


def test_the_pdf_carries_a_structure_tree_language_and_title():
    try:
        pdf = to_pdf(PAGE, stylesheet="h1 { font-size: 18pt; }")
    except PdfUnavailable as error:
        pytest.skip(str(error))
    objects = _objects(pdf)
    assert b"/StructTreeRoot" in objects and b"/Marked true" in objects
    assert b"/H1" in objects and b"/L" in objects  # headings and lists kept as such
    assert b"/Lang" in objects and b"Prep sheet: Staff Engineer" in objects
    assert b"pdfuaid" in objects  # declared as PDF/UA in its metadata
