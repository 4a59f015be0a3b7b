"""Eight weeks of a realistic evening-kratom history, logged through the services.

The history ends on last night (by the real clock, in New York), so the CLI, which runs on
the real clock, reports it with its default period. A few nights have nothing logged: the
report must count them as unknown.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bedside.services import activity, diary, doses, products, profiles, symptoms
from bedside.services.runtime import Bedside
from bedside.services.scope import Scope
from bedside.settings import Settings

ZONE = ZoneInfo("America/New_York")
NIGHTS = 56
#: Nights (counted from the first) with nothing logged at all.
UNKNOWN = frozenset({9, 10, 23, 37, 38, 39})


def last_night() -> date:
    """Last night in New York by the real clock (the night before tonight)."""
    local = datetime.now(UTC).astimezone(ZONE)
    tonight = local.date() if local.hour >= 12 else local.date() - timedelta(days=1)
    return tonight - timedelta(days=1)


def build_history(settings: Settings) -> tuple[date, date]:
    """Profile, two products, and 8 weeks of doses, diaries, pain, workouts and intakes."""
    end = last_night()
    start = end - timedelta(days=NIGHTS - 1)
    app = Bedside(settings).start()
    try:
        with app.scope() as scope:
            _profile_and_products(scope)
        rng = random.Random(13)
        for k in range(NIGHTS):
            if k in UNKNOWN:
                continue
            with app.scope() as scope:
                _night(scope, start + timedelta(days=k), k, rng)
    finally:
        app.close()
    return start, end


def _profile_and_products(scope: Scope) -> None:
    profiles.set_profile(
        scope,
        {
            "timezone": "America/New_York",
            "bedtime": "23:00",
            "region": "US-TX",
            "medications": ["sertraline"],
            "conditions": ["sleep apnea"],
        },
    )
    red = products.add_product(scope, {"name": "Red Bali", "colour": "red", "vendor": "Acme"})
    products.add_batch(
        scope,
        red.id,
        {"lot": "RB-7", "mitragynine_pct": 1.2, "seven_oh_pct": 0.02, "contaminants_passed": True},
    )
    products.add_product(scope, {"name": "Green Maeng Da", "colour": "green"})


def _night(scope: Scope, night: date, k: int, rng: random.Random) -> None:
    dosed = k % 7 not in (2, 5) or k > 44
    if dosed:
        product = 1 if k % 4 else 2
        grams = round(rng.choice([2.0, 2.5, 3.0, 3.0, 3.5]) + (0.5 if k > 40 else 0.0), 1)
        minute = rng.choice([0, 10, 20, 30, 45])
        doses.add_dose(
            scope,
            {
                "amount": grams,
                "time": f"21:{minute:02d}" if minute < 60 else "22:00",
                "night": night,
                "product_id": product,
                "reason": "pain",
                "pain_before": rng.randint(3, 7),
            },
        )
    sol = rng.randint(10, 35) - (5 if dosed else 0)
    waso = rng.randint(10, 60)
    diary.add_entry(
        scope,
        {
            "night": night,
            "bedtime": rng.choice(["22:45", "23:00", "23:10", "23:30", "23:50"]),
            "tried": "23:55",
            "sol_min": sol,
            "awakenings": rng.randint(1, 3),
            "waso_min": waso,
            "final_wake": rng.choice(["06:30", "06:45", "07:00"]),
            "out_of_bed": "07:15",
            "quality": rng.randint(2, 5),
            "rested": rng.randint(2, 4),
        },
    )
    symptoms.add_pain(
        scope,
        {"score": rng.randint(2, 7), "time": "20:00", "night": night, "location": "lower back"},
    )
    if k % 3 == 0:
        activity.add_workout(
            scope,
            {
                "kind": "strength" if k % 2 else "running",
                "duration_min": 45,
                "rpe": rng.randint(5, 9),
                "muscle_groups": ["quads", "hamstrings"],
                "eccentric": k % 6 == 0,
                "time": "18:00",
                "night": night,
            },
        )
        symptoms.add_soreness(
            scope, {"ratings": {"quads": rng.randint(3, 7)}, "time": "20:30", "night": night}
        )
    if k % 5 == 0:
        activity.add_intake(
            scope, {"kind": "alcohol", "amount": 2, "time": "19:30", "night": night}
        )
    if k % 8 == 0:
        activity.add_intake(
            scope, {"kind": "medication", "name": "gabapentin", "time": "20:00", "night": night}
        )
