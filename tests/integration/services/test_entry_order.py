"""Property: the order in which entries are typed in does not change what is stored or derived."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bedside.services import diary, doses, profiles
from bedside.services.runtime import Bedside
from bedside.settings import load_settings
from bedside.storage.models import DiaryEntry, Dose

NOW = datetime(2025, 11, 10, 12, 0, tzinfo=UTC)

dose_inputs = st.lists(
    st.fixed_dictionaries(
        {
            "time": st.datetimes(
                min_value=datetime(2025, 10, 1), max_value=datetime(2025, 11, 9)
            ).map(lambda d: d.replace(second=0, microsecond=0, tzinfo=UTC).isoformat()),
            "amount": st.floats(min_value=0.1, max_value=10, allow_nan=False).map(
                lambda x: round(x, 2)
            ),
        }
    ),
    min_size=1,
    max_size=8,
    unique_by=lambda d: d["time"],
)


def _app(tmp: Path) -> Bedside:
    app = Bedside(load_settings(db=str(tmp / "order.db"), environ={}), clock=lambda: NOW).start()
    with app.scope() as scope:
        profiles.set_profile(scope, {"timezone": "America/New_York"})
    return app


def _store_and_read(app: Bedside, entries: list[dict[str, object]]) -> list[tuple[object, ...]]:
    with app.scope() as scope:
        scope.session.query(Dose).delete()
        scope.session.query(DiaryEntry).delete()
        for entry in entries:
            doses.add_dose(scope, entry)
        stored = doses.list_doses(scope)
        return [(d.time, d.night, d.amount, d.grams) for d in stored]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=dose_inputs, data=st.data())
def test_dose_order_of_entry_does_not_matter(
    tmp_path: Path, entries: list[dict[str, object]], data: st.DataObject
) -> None:
    app = (
        _app(tmp_path)
        if not (tmp_path / "order.db").exists()
        else Bedside(load_settings(db=str(tmp_path / "order.db"), environ={}), clock=lambda: NOW)
    )
    shuffled = data.draw(st.permutations(entries))
    assert _store_and_read(app, entries) == _store_and_read(app, list(shuffled))
    app.close()


def test_diary_answers_in_any_field_order_give_the_same_metrics(tmp_path: Path) -> None:
    app = _app(tmp_path)
    answers = {
        "night": "2025-03-08",
        "bedtime": "23:00",
        "tried": "23:20",
        "sol_min": 15,
        "awakenings": 2,
        "waso_min": 25,
        "final_wake": "06:45",
        "out_of_bed": "07:05",
        "quality": 3,
    }
    with app.scope() as scope:
        first = diary.add_entry(scope, answers)
        diary.delete_entry(scope, first.id)
        second = diary.add_entry(scope, dict(reversed(list(answers.items()))))
    assert first.model_dump(exclude={"id"}) == second.model_dump(exclude={"id"})
    app.close()
