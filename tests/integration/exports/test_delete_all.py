"""Delete all my data: every row of the person goes, other people's rows stay."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from bedside.services import doses
from bedside.services.backup_tables import USER_COLUMN, entity_tables
from bedside.storage.models import Dose, Profile, User
from tests.conftest import Cli
from tests.integration.exports.conftest import Lived


def _rows_of(lived: Lived, user_id: int) -> dict[str, int]:
    with lived.app.scope() as scope:
        return {
            spec.name: scope.session.execute(
                select(func.count())
                .select_from(spec.table)
                .where(spec.table.c[USER_COLUMN] == user_id)
            ).scalar_one()
            for spec in entity_tables()
        }


def test_delete_all_removes_every_row_of_the_person_only(lived: Lived, cli: Cli) -> None:
    with lived.app.scope() as scope:
        me = scope.user.id
        someone = User(name="someone else", is_local=False)
        scope.session.add(someone)
        scope.session.flush()
        scope.session.add(Profile(user_id=someone.id, timezone="Europe/Paris", bedtime="22:00"))
        at = datetime(2025, 3, 1, 21, tzinfo=UTC)
        scope.session.add(
            Dose(
                user_id=someone.id,
                taken_at=at,
                tz="Europe/Paris",
                night=date(2025, 3, 1),
                amount=2,
                unit="g",
            )
        )
        other = someone.id
    mine_before = _rows_of(lived, me)
    theirs_before = _rows_of(lived, other)
    assert sum(mine_before.values()) > 200

    refused = cli("delete-all", ok=False)
    assert refused.code != 0 and "--yes" in refused.stderr
    assert _rows_of(lived, me) == mine_before

    out = cli("delete-all", "--yes", "--json").json()
    assert out["deleted"] == mine_before and out["total"] == sum(mine_before.values())
    after = _rows_of(lived, me)
    assert after == {name: (1 if name == "profiles" else 0) for name in after}
    assert _rows_of(lived, other) == theirs_before

    profile = cli("profile", "show", "--json").json()
    assert profile["timezone"] == "America/New_York" and profile["medications"] == []
    with lived.app.scope() as scope:  # the empty profile is usable: logging works again
        doses.add_dose(scope, {"amount": 1, "time": "2025-04-19T22:00"})
    assert len(cli("dose", "list", "--json").json()) == 1
