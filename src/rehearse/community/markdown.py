"""Comments in Markdown, rendered safely: markdown-it-py with raw HTML off, unsafe links refused,
and every link marked rel="nofollow ugc" (user-generated, not endorsed)."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "js-default": CommonMark with `html` off, so <script> and friends come out as text; the
    # parser's validateLink already refuses javascript:, vbscript:, file: and most data: URLs.
    parser = MarkdownIt("js-default", {"linkify": False, "typographer": False}).disable("image")

    def link_open(renderer, tokens, index, options, env):
        tokens[index].attrSet("rel", "nofollow ugc")
        return renderer.renderToken(tokens, index, options, env)

    parser.add_render_rule("link_open", link_open)
    return parser


def render(text: str) -> Markup:
    """Safe HTML for a comment written in Markdown."""
    return Markup(_parser().render(text or ""))
