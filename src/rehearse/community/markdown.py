"""Comments in Markdown, rendered safely: markdown-it-py with raw HTML off, unsafe links refused,
and every link marked rel="nofollow ugc" (user-generated, not endorsed).

Rendering is cheap for any text: each text is rendered once and kept (a page shows the same comments
and example answers again and again); a text with more opening brackets than a comment with links
needs is rendered with links off (markdown-it scans ahead from every "[" for the "]" that closes it,
so a comment of 5,000 "[" took 0.3-0.9 s, and five made every view of their suggestion take seconds);
and blocks nest at most MAX_NESTING deep, as CommonMark's own preset allows (deeper is not rendered).
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup

MAX_BRACKETS = 64  # "[" in a text with links on: a comment with 64 links is spam; the scans stay ~1 ms each
MAX_NESTING = 20  # quotes and lists in quotes: markdown-it's "commonmark" preset; "js-default" allows 100
CACHED = 512  # rendered texts kept: a busy page's comments and answers; at most ~20 MB of long ones
CACHED_LENGTH = 20_000  # longer texts (no comment or suggested answer is) are rendered each time, not kept


def _safe_links(parser: MarkdownIt) -> MarkdownIt:
    def link_open(renderer, tokens, index, options, env):
        tokens[index].attrSet("rel", "nofollow ugc")
        return renderer.renderToken(tokens, index, options, env)

    parser.add_render_rule("link_open", link_open)
    return parser


@lru_cache(maxsize=2)
def _parser(links: bool = True) -> MarkdownIt:
    # "js-default": CommonMark with `html` off, so <script> and friends come out as text; the
    # parser's validateLink already refuses javascript:, vbscript:, file: and most data: URLs.
    parser = MarkdownIt("js-default", {"linkify": False, "typographer": False, "maxNesting": MAX_NESTING}
                        ).disable("image")
    if not links:  # brackets stay text: no label is looked for, so no scan ahead
        parser.disable(["link", "reference"])
    return _safe_links(parser)


def _html(text: str) -> str:
    return _parser(text.count("[") <= MAX_BRACKETS).render(text)


_cached_html = lru_cache(maxsize=CACHED)(_html)  # thread-safe; keyed by the text, so an edit is a new entry


def render(text: str) -> Markup:
    """Safe HTML for a comment written in Markdown."""
    text = text or ""
    return Markup(_cached_html(text) if len(text) <= CACHED_LENGTH else _html(text))
