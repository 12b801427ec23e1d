"""Bounded parameter types for paths, queries and request bodies.

Every integer a client sends is bounded in the schema, so a number no column can hold is a
422 that names the parameter (and /openapi.json says the bounds), never a database error.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import Field

MAX_ID = 2**31 - 1  # PostgreSQL's `integer`, the type of every id column
MAX_OFFSET = 1_000_000  # paging past a million rows is a crawler, not a person

IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="An id (a positive whole number).")]
OptionalIdQuery = Annotated[int | None, Query(ge=1, le=MAX_ID)]
OffsetQuery = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
IdField = Annotated[int, Field(ge=1, le=MAX_ID)]
PageQuery = Annotated[int, Query(ge=1, le=10_000)]
