"""Every table of the schema, registered on one metadata (for migrations and tests)."""

from __future__ import annotations

from bedside.storage import (
    accounts,
    cache,
    experiments,
    models,
    safety_records,
    sharing,
    wearables,
)
from bedside.storage.models import Base

metadata = Base.metadata
MODULES = (models, wearables, experiments, safety_records, accounts, sharing, cache)
