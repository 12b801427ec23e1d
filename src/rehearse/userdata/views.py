"""JSON API for the user's data: export everything, import it into an empty account, delete the account."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from rehearse.bank.models import utcnow
from rehearse.web.deps import SessionDep
from rehearse.web.security import ApiUser, CsrfApi

from . import service
from .schemas import ImportResult

router = APIRouter(prefix="/api/me", tags=["your data"])


def export_file_name(today: date | None = None) -> str:
    """The download's name carries its (UTC) day, so that a second export does not overwrite the first."""
    return f"rehearse-data-{(today or utcnow().date()):%Y-%m-%d}.json"


def download(document: dict[str, Any]) -> Response:
    return Response(json.dumps(document, ensure_ascii=False, indent=1), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{export_file_name()}"',
                             "Cache-Control": "no-store"})


@router.get("/data")
def export_data(user: ApiUser, session: SessionDep) -> Response:
    """Everything you have here as one JSON document: attempts with reports, review cards and log, stories,
    mock interviews."""
    return download(service.export_user(session, user=user))


async def read_document(request: Request) -> Any:
    try:
        return service.read_document(await request.body(), file="The document")
    except service.ImportRejected as error:
        where = f"The document, line {error.line}" if error.line else "The document"
        raise HTTPException(error.status, f"{where}: {error}") from None


@router.post("/data", response_model=ImportResult, dependencies=[CsrfApi],
             openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}})
async def import_data(request: Request, user: ApiUser, session: SessionDep) -> ImportResult:
    """Load a document exported by `GET /api/me/data` into this (empty) account; all of it or nothing."""
    document = await read_document(request)
    try:
        return ImportResult(**service.import_user(session, user=user, document=document))
    except service.ImportRejected as error:
        session.rollback()
        raise HTTPException(error.status, str(error)) from None


@router.delete("/account", status_code=204, dependencies=[CsrfApi])
def delete_account(user: ApiUser, session: SessionDep,
                   confirm: Annotated[str, Query(max_length=320, description="Your e-mail address, to confirm.")]
                   ) -> Response:
    """Delete your account and everything in it. There is no undo: export your data first."""
    if confirm.strip().lower() != user.email:
        raise HTTPException(422, "To delete the account, send confirm=<your e-mail address>.")
    service.delete_account(session, user=user)
    return Response(status_code=204)
