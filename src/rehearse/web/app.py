"""The web application factory: settings in, app out; nothing is read at import time."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Literal

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from rehearse import __version__
from rehearse.settings import Settings

DESCRIPTION = """Interview preparation with explainable feedback: banks, practice, feedback.

Authenticate with a personal API token (create one on the settings page, or with
`POST /api/auth/token`) sent as `Authorization: Bearer <token>`. Errors are JSON
objects with a `detail` sentence saying what was wrong."""


log = logging.getLogger("rehearse.web")


# A job claimable this long with no worker holding any means no worker is running: workers are told of a
# job at once (PostgreSQL) or look every 0.1-1 s (SQLite), and look anyway every 5 s.
UNATTENDED_S = 15


class Health(BaseModel):
    """/healthz: alive, and whether the database answers (503 when it does not)."""

    status: Literal["ok", "unavailable"]
    database: str = Field(description="The database's kind: sqlite or postgresql.")


class Readiness(BaseModel):
    """/readyz: whether this process can serve, and which part is not ready (503 then)."""

    status: Literal["ready", "unavailable"]
    database: bool = Field(description="The database answers.")
    queue: bool = Field(description="The transcription queue accepts work (below its limit).")
    workers: bool = Field(default=True, description="Some worker takes jobs: false when a job has waited "
                          f"{UNATTENDED_S} s or more and no worker holds any (is `rehearse worker` running?).")
    reason: str | None = Field(default=None, description="Why not ready, in a sentence; null when ready.")


# How long shutting down waits for the in-process worker's job (uvicorn waits for requests too).
WORKER_STOP_S = 30.0


def create_app(settings: Settings | None = None) -> FastAPI:
    from rehearse.accounts.views import router as accounts_router
    from rehearse.bank.views import router as bank_router
    from rehearse.bootstrap import open_database
    from rehearse.community.views import router as community_router
    from rehearse.jobs.queue import JobQueue
    from rehearse.jobs.worker import Worker
    from rehearse.jobs.worker import default_name as default_worker_name
    from rehearse.mock.views import router as mock_router
    from rehearse.plans import service as plans_service
    from rehearse.plans.views import router as plans_router
    from rehearse.practice import rubric_store
    from rehearse.practice.queued_scoring import Scorer
    from rehearse.practice.transcriptions import KIND as TRANSCRIBE
    from rehearse.practice.transcriptions import Transcriptions
    from rehearse.practice.views import router as practice_router
    from rehearse.progress.views import router as progress_router
    from rehearse.review.views import router as review_router
    from rehearse.stories.views import router as stories_router
    from rehearse.userdata.views import router as userdata_router
    from rehearse.web import docs, errors, openapi
    from rehearse.web.head import HeadAsGet
    from rehearse.web.headers import SecurityHeaders
    from rehearse.web.identity import ForgetAfterWrites
    from rehearse.web.limits import AnonymousWork, BodyLimit
    from rehearse.web.pages import routers as page_routers
    from rehearse.web.requestlog import RequestLog, configure_logging
    from rehearse.web.security import known_token
    from rehearse.web.templating import STATIC, make_templates
    from rehearse.web.text_guard import TextGuard

    settings = settings or Settings()
    if settings.short_secret_key:  # refused in production (settings.py); development takes it, with a word
        log.warning("REHEARSE_SECRET_KEY is shorter than 32 characters: fine for trying Rehearse out, refused "
                    "in production")
    if settings.environment == "production":
        log.warning("production mode: session and CSRF cookies are Secure, so browsers send them back only "
                    "over HTTPS; serve this behind a TLS proxy (REHEARSE_TRUSTED_PROXIES), or nobody can sign in")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Load the feedback model and the rubric vectors stored by earlier processes in the
        # background, so the first answer is not kept waiting.
        rubric_store.warm_in_background(app.state.database, backend=settings.feedback_backend)
        # And store the vectors of questions that have none yet, so the first prep plan reads them back.
        plans_service.warm_in_background(app.state.database, backend=settings.feedback_backend)
        worker = app.state.worker
        if worker is not None:
            worker.start()
        yield
        if worker is not None:
            # Finish the job in hand; one still running after this is tried again once its lease ends.
            await asyncio.to_thread(worker.stop, timeout=WORKER_STOP_S)
        app.state.database.dispose()

    # docs_url/redoc_url None: web.docs serves both pages with assets from an installed package.
    configure_logging()
    app = FastAPI(title="Rehearse", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.database = open_database(settings)
    app.state.secret_key = settings.resolved_secret_key()
    app.state.templates = make_templates()
    # Job state lives in the database; unless turned off, one worker thread runs beside the app.
    app.state.jobs = JobQueue(app.state.database)
    app.state.worker = (Worker(app.state.jobs, name=f"{default_worker_name()}:serve")
                        if settings.worker_in_process else None)
    # Where answers are scored: here, or (long answers, with dedicated workers) by a worker through the queue.
    app.state.scorer = Scorer(app.state.jobs, backend=settings.feedback_backend, mode=settings.scoring_on_queue,
                              timeout_s=settings.scoring_timeout, dedicated_workers=not settings.worker_in_process,
                              wake=app.state.worker.wake if app.state.worker else None)
    if app.state.worker is not None:
        app.state.worker.listen(app.state.scorer.finished)
    app.state.transcriptions = Transcriptions(limit=settings.transcription_queue_limit,
                                              per_uploader=settings.transcription_queue_per_user,
                                              wake=app.state.worker.wake if app.state.worker else None)
    app.state.anonymous_work = AnonymousWork(settings.anonymous_scorings_per_minute)
    app.add_middleware(HeadAsGet)  # innermost: HEAD is answered as GET is, without the body
    app.add_middleware(ForgetAfterWrites)  # a write answered here empties the identity cache (web/identity.py)
    app.add_middleware(TextGuard)  # inside BodyLimit: it reads only bodies already bounded
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestLog)  # outermost: every answer gets an id and a log line
    if settings.trusted_proxy_list:
        # Only named proxies may say who the client is; uvicorn's own handling is off (cli.serve).
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    docs.install(app)
    openapi.install(app)
    for (
        router
    ) in page_routers:  # first: routes are matched in order, and pages are the most visited
        app.include_router(router, include_in_schema=False)
    checked = [Depends(known_token)]  # a bearer token sent to any API route must be valid (401)
    for router in (bank_router, accounts_router, practice_router, review_router, community_router, mock_router,
                   progress_router, stories_router, userdata_router, plans_router):
        app.include_router(router, dependencies=checked)

    @app.get("/metrics", tags=["ops"], response_class=PlainTextResponse,
             responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}})
    def metrics() -> PlainTextResponse:
        """This process's Prometheus metrics: requests and latencies by route, scoring and transcription
        times, jobs run here; and the job queue's depth (read from the database, so every process
        reports the same)."""
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        from rehearse import metrics as figures

        try:
            counts = app.state.jobs.counts()
        except Exception:  # noqa: BLE001 - the database is away: keep the last figures
            log.warning("could not read the job queue's depth", exc_info=True)
        else:
            figures.JOB_QUEUE_DEPTH.clear()
            for (kind, state), count in counts.items():
                figures.JOB_QUEUE_DEPTH.labels(kind, state).set(count)
            figures.QUEUE_DEPTH.set(sum(n for (kind, _), n in counts.items() if kind == TRANSCRIBE))
        return PlainTextResponse(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/readyz", tags=["ops"], response_model=Readiness,
             responses={503: {"model": Readiness, "description": "Not ready: see which part"}})
    def readyz() -> JSONResponse:
        """200 when this process can serve: the database answers, the job queue accepts work (fewer
        recordings waiting than REHEARSE_TRANSCRIPTION_QUEUE_LIMIT) and some worker takes its jobs."""
        database = app.state.database.ping()
        try:
            queue = app.state.jobs.pending(kind=TRANSCRIBE) < settings.transcription_queue_limit
            workers = not app.state.jobs.unattended(waited=timedelta(seconds=UNATTENDED_S))
        except Exception:  # noqa: BLE001 - the jobs table cannot be read: not ready
            queue = workers = False
        reason = next((sentence for ok, sentence in (
            (database, "The database does not answer."),
            (queue, f"{settings.transcription_queue_limit} or more recordings are waiting to be transcribed."),
            (workers, f"Jobs have waited {UNATTENDED_S} s or more and no worker is taking them: is `rehearse "
                      "worker` running (REHEARSE_WORKER_IN_PROCESS=false runs none in the web processes)?"),
        ) if not ok), None)
        body = {"status": "unavailable" if reason else "ready", "database": database, "queue": queue,
                "workers": workers, "reason": reason}
        return JSONResponse(body, status_code=503 if reason else 200)

    @app.get("/healthz", tags=["ops"], response_model=Health,
             responses={503: {"model": Health, "description": "The database cannot be reached"}})
    def healthz() -> JSONResponse:
        """200 when the database answers, 503 otherwise."""
        if app.state.database.ping():
            return JSONResponse({"status": "ok", "database": app.state.database.dialect})
        return JSONResponse(
            {"status": "unavailable", "database": app.state.database.dialect}, status_code=503
        )

    return app
