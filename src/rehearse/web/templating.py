"""Jinja2 environment, filters and the render() helper every page uses."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from rehearse import __version__
from rehearse.community.markdown import render as markdown
from rehearse.feedback.engine import grade_of
from rehearse.practice.report_view import breakdown_note, specifics_shown, structure_sentence
from rehearse.web import identity
from rehearse.web.highlight import covered_evidence, highlight
from rehearse.web.security import attach_csrf_cookie, csrf_token

log = logging.getLogger("rehearse.web")
TEMPLATES = Path(__file__).with_name("templates")
STATIC = Path(__file__).with_name("static")


def _when(moment: datetime | None) -> str:
    """A moment in UTC, marked up so that static/local-time.js shows it in the reader's own zone."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    return Markup('<time datetime="{}" data-local>{}</time>').format(
        moment.strftime("%Y-%m-%dT%H:%M:%SZ"), moment.strftime("%d %b %Y, %H:%M UTC"))


def _passed(moment: datetime | None) -> bool:
    """Whether a moment is now or earlier: a return time already passed reads "due now", not a past date."""
    if moment is None:
        return False
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)) <= datetime.now(UTC)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


_BANDS = {"excellent": "high", "strong": "high", "fair": "mid", "weak": "low", "poor": "low"}


def score_band(score: int | None) -> str:
    """A word for CSS: how good a score is, by its grade, so that the colour never says otherwise than the
    word beside it (a 70 is "strong", and green)."""
    if score is None:
        return "none"
    return _BANDS[grade_of(score)]


def score_grade(score: int | None) -> str:
    """The report's word for a score ("fair"), so that no score is told by its colour alone."""
    if score is None:
        return ""
    return grade_of(score)


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.filters.update(
        when=_when, duration=_duration, percent=_percent, band=score_band, grade=score_grade, highlight=highlight,
        covered_evidence=covered_evidence, markdown=markdown, specifics=specifics_shown,
        structure_sentence=structure_sentence, breakdown_note=breakdown_note,
    )
    env.tests.update(passed=_passed)
    env.globals.update(version=__version__)
    return templates


def review_due(request: Request, user, session=None, *, fresh: bool = False, known: int | None = None) -> int | None:
    """How many review questions are due for the signed-in user, for the navigation bar: one count over
    the (user_id, due) index, in the request's own session while the view runs (this process reuses it
    for a moment: web/identity.py); None when there is no session. `known`: the number, read already
    by the page (kept the same way, not counted again)."""
    from rehearse.review import service as review

    session = session if session is not None else getattr(request.state, "session", None)
    if user is None or session is None:
        return None
    count = (lambda: known) if known is not None else (lambda: review.due_count(session, user_id=user.id))
    try:
        return identity.of(request.app).due_count(getattr(request.state, "identity_key", None), count,
                                                  fresh=fresh or known is not None,
                                                  generation=identity.request_generation(request))
    except SQLAlchemyError:  # a session the view left failed: the link works without its number
        log.warning("could not count the reviews due for the navigation bar", exc_info=True)
        return None


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page with the signed-in user and a CSRF token in its context."""
    templates: Jinja2Templates = request.app.state.templates
    ctx = {
        "user": getattr(request.state, "user", None),
        "csrf_token": lambda: csrf_token(request),
        "speech_available": request.app.state.transcriptions.available(),
        **(context or {}),
    }
    if ctx["user"] is not None and "review_due" not in ctx:
        ctx["review_due"] = review_due(request, ctx["user"])
    response = templates.TemplateResponse(
        request, name, ctx, status_code=status_code, headers=headers
    )
    attach_csrf_cookie(request, response)
    return response


def render_confirm(request: Request, *, kind: str, eyebrow: str, title: str, lines: list[str], action: str,
                   button: str, back: str, back_label: str, cancel: str = "Keep it") -> HTMLResponse:
    """The second step before deleting something: a page of its own (confirm.html), so it needs no
    script; `action` is where its one button posts, `back` where cancelling goes. Never cached."""
    confirm = {"kind": kind, "eyebrow": eyebrow, "title": title, "lines": lines, "action": action,
               "button": button, "back": back, "back_label": back_label, "cancel": cancel}
    return render(request, "confirm.html", {"confirm": confirm}, headers={"Cache-Control": "no-store"})


def render_part(request: Request, name: str, **context: Any) -> Markup:
    """A partial rendered with the given context alone (no user; asking for a CSRF token fails), so what
    it renders may be kept and shown again to the same user."""
    return Markup(request.app.state.templates.env.get_template(name).render(context))
