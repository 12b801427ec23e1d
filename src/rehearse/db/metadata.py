"""All ORM models imported in one place, so Alembic and create_all see every table."""

from rehearse.bank import models as bank_models  # noqa: F401
from rehearse.db.base import Base

target_metadata = Base.metadata
