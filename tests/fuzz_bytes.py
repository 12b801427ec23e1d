"""Byte mutations for fuzzing importers with Hypothesis: real files with bytes inserted, deleted, duplicated
or cut off (random bytes rarely get past a reader's first check), steered by fragments each reader cares about."""

from __future__ import annotations

import json
import re

from hypothesis import strategies as st

BREAKS = re.compile(rb"\r\n|\r|\n")
# What steers any JSON reader to its edges: escapes the databases refuse, odd line breaks, numbers no column
# holds, values of the wrong type, rich markup that a terminal might interpret.
JSON_FRAGMENTS = [
    b"\x00", b"\xff", b"\xef\xbb\xbf", b"\r", b"\n", b"\x0c", b"\xc2\x85", b"\xe2\x80\xa8", b'"', b"\\",
    b"\\u0000", b"\\ud800", b"{", b"}", b"[", b"]", b",", b":", b"null", b"true", b"0", b"-1", b"1.5",
    b"1e999", b"NaN", b"Infinity", b"9" * 20, b"9" * 5000, b"[" * 3000, b'"x"', b'""', b"[]", b"{}",
    b"[/x]", b"[bold]", b"x" * 400, b"\xc3\xa9" * 300, b"2024-01-01T00:00:00+00:00",
]

# Values no column of a document should take where it stands, for documents with one value replaced.
HOSTILE_VALUES = [None, True, -1, 0, 1.5, 2**31, 2**63, 10**30, "", "x" * 500, "\x00", "a\ud800b", "[/x]",
                  "2024-13-01T00:00:00", [], {}, [None], {"x": None}]


def line_count(data: bytes) -> int:
    return len(BREAKS.findall(data)) + 1


@st.composite
def mutated(draw, seeds: list[bytes], fragments: list[bytes] = JSON_FRAGMENTS) -> bytes:
    """One of the seeds with one to five edits."""
    data = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["insert", "insert", "delete", "duplicate", "cut"]))
        if edit == "insert":
            piece = draw(st.one_of(st.sampled_from(fragments), st.binary(min_size=1, max_size=6)))
            data = data[:at] + piece + data[at:]
        elif edit == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 80)):]
        elif edit == "duplicate":
            start = draw(st.integers(0, len(data)))
            data = data[:at] + data[start:start + draw(st.integers(1, 200))] + data[at:]
        else:
            data = data[:at]
    return data


@st.composite
def replaced(draw, document: dict) -> bytes:
    """The document with one value, anywhere in it, replaced by a hostile one."""
    paths = []

    def walk(value, path):
        paths.append(path)
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))

    walk(document, ())
    path = draw(st.sampled_from(paths[1:]))
    copy = json.loads(json.dumps(document))
    holder = copy
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = draw(st.sampled_from(HOSTILE_VALUES))
    return json.dumps(copy).encode("ascii")  # a lone surrogate as the escape \ud800, as JSON allows
