"""The report's sleep and kratom sections, computed from the services' output shapes.

Diary and wearable figures are kept apart and labelled; evening kratom use counts nights
with a dose among nights with anything logged, never guessing the unknown ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from bedside.reports import figures as fig
from bedside.reports.model import (
    HalfComparison,
    KratomUse,
    ProductUse,
    Regularity,
    SleepFigure,
    SleepSummary,
)
from bedside.services.diary_schemas import DiaryOut
from bedside.services.history import NightOut
from bedside.services.products import list_products
from bedside.services.products_schemas import BatchOut
from bedside.services.scope import Scope
from bedside.services.sleep import SleepNightOut

DIARY_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("total_sleep_time_min", "Total sleep time (TST)", "min"),
    ("sleep_onset_latency_min", "Sleep onset latency (SOL)", "min"),
    ("wake_after_sleep_onset_min", "Wake after sleep onset (WASO)", "min"),
    ("time_in_bed_min", "Time in bed (TIB)", "min"),
    ("sleep_efficiency_pct", "Sleep efficiency (SE)", "%"),
    ("quality", "Sleep quality (1 very poor to 5 very good)", "score"),
    ("awakenings", "Awakenings", "count"),
)


def sleep_summary(
    nights: Sequence[NightOut], wearable: Sequence[SleepNightOut], start: date
) -> SleepSummary:
    """Median and range of each diary and wearable measure, weekly SE and regularity."""
    diaries = [n.diary for n in nights if n.diary is not None]
    figures = [
        SleepFigure(
            key=key,
            label=label,
            unit=unit,
            source="diary",
            spread=fig.spread(float(getattr(d, key)) for d in diaries),
        )
        for key, label, unit in DIARY_FIGURES
    ]
    figures += _wearable_figures(wearable)
    weekly = fig.weekly_efficiency(
        [(d.night, d.total_sleep_time_min, d.time_in_bed_min) for d in diaries], start, "diary"
    )
    weekly += fig.weekly_efficiency(
        [
            (w.night, w.asleep_min, w.in_bed_min)
            for w in wearable
            if w.asleep_min is not None and w.in_bed_min
        ],
        start,
        "wearable",
    )
    return SleepSummary(
        figures=[f for f in figures if f.spread.n],
        weekly_efficiency=weekly,
        regularity=_regularity(diaries, wearable),
    )


def _wearable_figures(wearable: Sequence[SleepNightOut]) -> list[SleepFigure]:
    efficiency = [
        100.0 * w.asleep_min / w.in_bed_min
        for w in wearable
        if w.asleep_min is not None and w.in_bed_min
    ]
    rows = (
        ("asleep_min", "Total sleep time (TST)", "min", [w.asleep_min for w in wearable]),
        ("in_bed_min", "Time in bed (TIB)", "min", [w.in_bed_min for w in wearable]),
        ("efficiency_pct", "Sleep efficiency (SE)", "%", efficiency),
        ("awake_min", "Awake after falling asleep", "min", [w.awake_min for w in wearable]),
    )
    return [
        SleepFigure(key=key, label=label, unit=unit, source="wearable", spread=fig.spread(vals))
        for key, label, unit, vals in rows
    ]


def _regularity(diaries: Sequence[DiaryOut], wearable: Sequence[SleepNightOut]) -> list[Regularity]:
    out = []
    clock, sd = fig.regularity([datetime.fromisoformat(d.bedtime) for d in diaries])
    out.append(
        Regularity(
            source="diary", what="into bed", nights=len(diaries), median_clock=clock, sd_min=sd
        )
    )
    starts = [datetime.fromisoformat(w.sleep_start) for w in wearable if w.sleep_start]
    if starts:
        clock, sd = fig.regularity(starts)
        out.append(
            Regularity(
                source="wearable",
                what="fell asleep",
                nights=len(starts),
                median_clock=clock,
                sd_min=sd,
            )
        )
    return out


def kratom_use(
    scope: Scope, nights: Sequence[NightOut], logged: set[date], start: date, end: date
) -> KratomUse:
    """How often, how much, when and which products, as logged in ``[start, end]``."""
    inside = {n for n in logged if start <= n <= end}
    used = {n.night for n in nights if n.doses}
    grams: dict[date, float] = {}
    mg: dict[date, float] = {}
    for night in nights:
        if night.doses and all(d.grams is not None for d in night.doses):
            grams[night.night] = sum(d.grams or 0.0 for d in night.doses)
        if night.doses and all(d.mitragynine_mg is not None for d in night.doses):
            mg[night.night] = sum(d.mitragynine_mg or 0.0 for d in night.doses)
    doses = [d for n in nights for d in n.doses]
    sources = [n.bedtime_source for n in nights for _ in n.doses]
    return KratomUse(
        nights_used=len(used),
        nights_without=len(inside - used),
        nights_unknown=(end - start).days + 1 - len(inside),
        doses=len(doses),
        grams_per_night=fig.spread(grams.values()),
        mitragynine_mg_per_night=fig.spread(mg.values()),
        doses_per_used_night=fig.spread(len(n.doses) for n in nights if n.doses),
        minutes_before_bedtime=fig.spread(-d.minutes_from_bedtime for d in doses),
        bedtime_from_diary=sources.count("diary"),
        bedtime_from_target=sources.count("target"),
        products=_products(scope, nights),
        longest_streak=fig.longest_streak(used, inside),
        trend=_trend(used, inside, grams, start, end),
    )


def _products(scope: Scope, nights: Sequence[NightOut]) -> list[ProductUse]:
    batches: dict[int, BatchOut] = {
        b.id: b for product in list_products(scope) for b in product.batches
    }
    doses: dict[tuple[str | None, int | None], int] = defaultdict(int)
    used_on: dict[tuple[str | None, int | None], set[date]] = defaultdict(set)
    lots: dict[tuple[str | None, int | None], str | None] = {}
    for night in nights:
        for dose in night.doses:
            key = (dose.product_name, dose.batch_id)
            doses[key] += 1
            used_on[key].add(night.night)
            lots[key] = dose.lot
    out = []
    for key in sorted(doses, key=lambda k: (-doses[k], k[0] or "", k[1] or 0)):
        batch = batches.get(key[1]) if key[1] is not None else None
        out.append(
            ProductUse(
                product=key[0],
                lot=lots[key],
                mitragynine_pct=batch.mitragynine_pct if batch else None,
                seven_oh_pct=batch.seven_oh_pct if batch else None,
                contaminants_passed=batch.contaminants_passed if batch else None,
                doses=doses[key],
                nights=len(used_on[key]),
            )
        )
    return out


def _trend(
    used: set[date], inside: set[date], grams: dict[date, float], start: date, end: date
) -> HalfComparison | None:
    """Nights used per week (of logged nights) and amount per night, first half and second."""
    split = fig.halves(start, end)
    if split is None:
        return None
    (a0, a1), (b0, b1) = split

    def rate(first: date, last: date) -> float | None:
        known = [n for n in inside if first <= n <= last]
        return fig.per_week(sum(1 for n in known if n in used), len(known))

    return HalfComparison(
        first_start=a0,
        first_end=a1,
        second_start=b0,
        second_end=b1,
        first_used_per_week=rate(a0, a1),
        second_used_per_week=rate(b0, b1),
        first_median_g=fig.spread(fig.in_range(grams, a0, a1)).median,
        second_median_g=fig.spread(fig.in_range(grams, b0, b1)).median,
    )
