"""All ORM models imported in one place, so Alembic and create_all see every table."""

from rehearse.accounts import models as accounts_models  # noqa: F401
from rehearse.bank import models as bank_models  # noqa: F401
from rehearse.community import models as community_models  # noqa: F401
from rehearse.db.base import Base
from rehearse.idempotency import models as idempotency_models  # noqa: F401
from rehearse.jobs import models as jobs_models  # noqa: F401
from rehearse.mock import models as mock_models  # noqa: F401
from rehearse.plans import models as plans_models  # noqa: F401
from rehearse.practice import models as practice_models  # noqa: F401
from rehearse.progress import models as progress_models  # noqa: F401
from rehearse.review import models as review_models  # noqa: F401
from rehearse.stories import models as stories_models  # noqa: F401
from rehearse.throttle import models as throttle_models  # noqa: F401

target_metadata = Base.metadata
