"""The web application factory: settings in, app out; nothing is read at import time."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from rehearse import __version__
from rehearse.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    from rehearse.bank.views import router as bank_router
    from rehearse.bootstrap import open_database

    settings = settings or Settings()
    app = FastAPI(title="Rehearse", version=__version__,
                  description="Interview preparation with explainable feedback: banks, practice, feedback.")
    app.state.settings = settings
    app.state.database = open_database(settings)
    app.include_router(bank_router)

    @app.get("/healthz", tags=["ops"])
    def healthz() -> JSONResponse:
        """200 when the database answers, 503 otherwise."""
        if app.state.database.ping():
            return JSONResponse({"status": "ok", "database": app.state.database.dialect})
        return JSONResponse({"status": "unavailable", "database": app.state.database.dialect}, status_code=503)

    return app
