"""Every table is either the person's data (a write moves their data version on) or named as
not being it: a new table cannot slip past the analysis cache unnoticed."""

from __future__ import annotations

from bedside.services.backup_tables import entity_tables
from bedside.storage.cache import NOT_PERSON_DATA, PERSON_DATA
from bedside.storage.schema import metadata


def test_every_table_is_person_data_or_explicitly_not() -> None:
    tables = set(metadata.tables)
    unlisted = tables - PERSON_DATA - NOT_PERSON_DATA
    assert not unlisted, f"add {sorted(unlisted)} to PERSON_DATA or NOT_PERSON_DATA"
    assert not PERSON_DATA & NOT_PERSON_DATA
    assert tables >= (PERSON_DATA | NOT_PERSON_DATA), "a listed table no longer exists"


def test_every_exported_table_is_person_data_and_the_cache_is_not_exported() -> None:
    exported = {spec.name for spec in entity_tables()}
    assert exported <= PERSON_DATA
    assert "computed_results" not in exported
    assert "data_version" not in {c.name for spec in entity_tables() for c in spec.columns}
