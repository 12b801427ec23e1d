"""The progress dashboard: server-rendered SVG charts, each with its data table."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from rehearse.progress import service
from rehearse.progress.dashboard import DUE_CHART_SIZE, LATEST_AT_RIGHT, TITLES, charts_for
from rehearse.web.deps import SessionDep
from rehearse.web.security import PageUser
from rehearse.web.templating import render

router = APIRouter()


@router.get("/progress")
def show_progress(request: Request, session: SessionDep, user: PageUser) -> Response:
    figures = service.figures(session, user=user)
    return render(request, "progress/dashboard.html",
                  {"f": figures, "charts": charts_for(figures), "chart_titles": TITLES,
                   "latest_at_right": LATEST_AT_RIGHT, "due_chart_size": DUE_CHART_SIZE,
                   "needs_work_below": service.NEEDS_WORK_BELOW,
                   "review_due": figures["totals"]["due_now"]},
                  headers={"Cache-Control": "no-store"})
