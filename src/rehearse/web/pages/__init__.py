"""The HTML pages: thin views that parse input, call one service, and render a template."""

from fastapi import APIRouter

from . import accounts, browse, practice

router = APIRouter(include_in_schema=False)
router.include_router(browse.router)
router.include_router(practice.router)
router.include_router(accounts.router)
