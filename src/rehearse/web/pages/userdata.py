"""Your data: download it, load it into a new account, delete the account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from rehearse.accounts import service as accounts
from rehearse.userdata import service
from rehearse.userdata.views import download
from rehearse.userdata.wording import named
from rehearse.web.deps import SessionDep
from rehearse.web.form_errors import FormErrors
from rehearse.web.security import CsrfForm, PageUser, clear_session_cookie
from rehearse.web.templating import render

router = APIRouter()


def _page(request: Request, user, *, message: str | None = None, errors: FormErrors | None = None,
          form: str = "", status: int = 200) -> Response:
    """The page; a refused `form` ("import" or "delete") shows its `errors` beside it."""
    return render(request, "userdata/data.html", {"message": message, "errors": errors, "refused": form},
                  status_code=status,
                  headers={"Cache-Control": "no-store"})


@router.get("/account/data")
def data_page(request: Request, user: PageUser) -> Response:
    return _page(request, user)


@router.get("/account/data.json")
def export(session: SessionDep, user: PageUser) -> Response:
    return download(service.export_user(session, user=user))


@router.post("/account/data", dependencies=[CsrfForm])
async def import_file(request: Request, session: SessionDep, user: PageUser,
                      document: Annotated[UploadFile | None, Form()] = None) -> Response:
    if document is None:
        return _page(request, user, form="import", status=422, errors=FormErrors.of(
            "Choose the file you downloaded (rehearse-data-YYYY-MM-DD.json).", "document"))
    raw = await document.read(service.MAX_DOCUMENT_BYTES + 1)
    try:
        parsed = service.read_document(raw, file="The file")
        counts = service.import_user(session, user=user, document=parsed)
    except service.ImportRejected as error:
        session.rollback()
        where = f"Line {error.line}: " if error.line else ""
        return _page(request, user, form="import", errors=FormErrors.of(f"{where}{error}", "document"),
                     status=error.status)
    left = counts["community_left_out"]
    left_out = (f" {left} {'vote, comment or notification' if left == 1 else 'votes, comments or notifications'} "
                f"on other people's suggestions that are not on this server {'was' if left == 1 else 'were'} left "
                "out." if left else "")
    return _page(request, user, message=f"Loaded {named(counts, 'attempts')}, {named(counts, 'cards')} "
                                        f"({named(counts, 'reviews')}), {named(counts, 'stories')}, "
                                        f"{named(counts, 'mocks')}, {named(counts, 'plans')}, "
                                        f"{named(counts, 'suggestions')}, {named(counts, 'comments')} and "
                                        f"{named(counts, 'votes')}.{left_out}")


def _sheet(request: Request, session, user, role_ref: str) -> dict:
    from rehearse.bank import service as bank
    from rehearse.bank.models import utcnow
    from rehearse.userdata.sheet import sheet

    role = bank.get_role(session, role_ref[:120])
    if role is None:
        raise HTTPException(404, "There is no role at this address.")
    return {**sheet(session, user=user, role=role), "user": user, "now": utcnow()}


@router.get("/prep-sheets/{role_ref}.pdf")
def sheet_pdf(role_ref: str, request: Request, session: SessionDep, user: PageUser) -> Response:
    """The prep sheet as PDF (WeasyPrint, offline)."""
    from rehearse.userdata.sheet import PdfUnavailable, to_pdf
    from rehearse.web.templating import STATIC

    context = _sheet(request, session, user, role_ref)
    html = request.app.state.templates.env.get_template("userdata/sheet_pdf.html").render(context)
    try:
        pdf = to_pdf(html, stylesheet=(STATIC / "prep-sheet.css").read_text(encoding="utf-8"))
    except PdfUnavailable as error:
        raise HTTPException(503, f"{error}. The HTML sheet prints too: /prep-sheets/{role_ref}") from None
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="prep-sheet-{context["role"].slug}.pdf"',
        "Cache-Control": "no-store"})


@router.get("/prep-sheets/{role_ref}")
def sheet_page(role_ref: str, request: Request, session: SessionDep, user: PageUser) -> Response:
    """A printable prep sheet for a role: your best answers, the points you miss, your stories."""
    return render(request, "userdata/sheet_page.html", _sheet(request, session, user, role_ref),
                  headers={"Cache-Control": "no-store"})


@router.post("/account/delete", dependencies=[CsrfForm])
def delete(request: Request, session: SessionDep, user: PageUser,
           password: Annotated[str, Form(max_length=1000)] = "") -> Response:
    if not accounts.password_matches(user, password):
        return _page(request, user, form="delete", status=403, errors=FormErrors.of(
            "That is not your password; nothing was deleted.", "password"))
    service.delete_account(session, user=user)
    response = RedirectResponse("/?deleted=1", status_code=303)
    clear_session_cookie(response)
    return response
