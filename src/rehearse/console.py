"""The Rich consoles the `rehearse` command prints through.

Every console is made here, with emoji codes off: what the app prints quotes files, slugs and a
candidate's own words, where ":100:" is a line number and ":warning:" is text someone typed, never
a code for Rich to turn into an emoji.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console


def make_console(*, stderr: bool = False, **options: Any) -> Console:
    """A Rich console that prints `:name:` as written (emoji=False), to standard output or error."""
    return Console(stderr=stderr, emoji=False, **options)
