"""Sleep nights from stage segments and session summaries (pure; no storage, no I/O).

:func:`assemble_nights` turns :class:`SleepSegment` and :class:`SleepSummary` records (from any
number of sources) plus optional heart-rate/HRV :class:`Sample` records into one
:class:`NightSleep` row per sleep session and source, and one ``"combined"`` row per session
that merges the sources without counting any minute twice. The rules:

**Sessions.** Pieces of sleep closer than ``session_gap_min`` (default 60 min) belong to one
session; a longer gap starts a new session.

**Night key.** A session belongs to the night of the local calendar date of the evening it
starts in: starting before 12:00 local → the previous date's night, from 12:00 on → that
date (:func:`bedside.domain.timekeeping.night_of`, the diary's rule). The local zone is the
records' own IANA zone when they have one, else ``NightConfig.default_zone``, else the UTC
offset the source wrote, else UTC.

**Main sleep and naps.** Of the sessions of one night (per source, and for the combined rows),
the one with the most time in bed among those that lie at least half inside the night window
(default 18:00 on the night's date to 12:00 the next day, local) is the main sleep; every
other session is a nap (so a 15:30-18:30 nap is not a night's main sleep even when it is the
only sleep recorded that day).

**Overlapping sources.** Time is cut at every start and end; each elementary interval is won by
one piece of one source, chosen by, in order: (1) a piece that says asleep or awake beats one
that only says "in bed" (an iPhone ``InBed`` span never hides Watch stages); (2) a source with
stage detail (core/deep/REM) in the session beats one without (``prefer_stage_detail``);
(3) the source priority (:mod:`bedside.sleep.priority`; by default Apple Watch > Oura >
Garmin > Fitbit > Withings > phone apps > iPhone > other, and each person can choose their own
order, kept in their profile); (4) within a source, the more specific stage
(core/deep/REM > asleep > awake > summary > in bed). Minutes are summed over the winners only.

**Figures** (minutes, on UTC instants, so a night across a DST change is 7 or 9 hours):

* ``in_bed_min``: covered time (any piece of any stage, including ``in_bed``);
* ``asleep_min``: time won by an asleep stage; ``awake_min`` = ``in_bed_min - asleep_min``
  (latency, awakenings and lying in bed before getting up). Both ``None`` when the session
  has only "in bed" pieces, which say nothing about sleep;
* ``deep_min``/``core_min``/``rem_min``: each ``None`` unless some winning piece reports that
  stage: a stage segment (core/deep/REM) reports all three, a summary only those it gives
  (a Withings summary without REM, or Sleep as Android's deep fraction, leave the others
  unknown rather than 0). Fitbit "light" and Withings/Garmin "light" are ``core``;
* a :class:`SleepSummary` (totals without timing) counts pro rata: each of its minutes that
  wins contributes its stage fractions;
* ``awakenings``: the number of bouts of not-asleep time (awake, or in bed only) of at least
  ``min_awakening_min`` (default 1 min) between sleep onset (first asleep minute) and final
  wake (last asleep minute); a gap without data is unknown and neither counts nor splits a
  bout. A row made of one summary reports the source's
  own count; otherwise a summary inside that span makes it ``None``;
* ``sleep_start``/``sleep_end``: onset and final wake (``None`` without asleep data);
* ``hr_mean``/``hrv_mean``: mean of the heart-rate and HRV (SDNN by default) samples, from any
  source, between ``sleep_start`` and ``sleep_end`` (the session bounds when those are
  unknown); ``None`` without samples.

The function is pure over iterables, so the caller can feed it one window of segments at a
time from storage: pass a margin of half a day around the nights wanted and ``nights=`` to
keep only those.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from itertools import pairwise
from operator import itemgetter

from bedside.domain.timekeeping import night_of
from bedside.sleep.priority import SourcePriority
from bedside.sleep.records import ASLEEP_STAGES, Sample, SampleKind, SleepSegment, SleepSummary
from bedside.sleep.zones import from_epoch_s, load_zone

COMBINED = "combined"
_LEVEL = {"in_bed": 0, "awake": 2, "asleep_unspecified": 3, "core": 4, "deep": 4, "rem": 4}
_SUMMARY_LEVEL = 1
_DETAIL = frozenset({"core", "deep", "rem"})
_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class NightConfig:
    """Tunable rules for :func:`assemble_nights` (defaults documented in the module)."""

    session_gap_min: float = 60.0
    window_start: time = time(18, 0)
    window_end: time = time(12, 0)
    min_awakening_min: float = 1.0
    priority: SourcePriority = field(default_factory=SourcePriority)
    prefer_stage_detail: bool = True
    default_zone: str | None = None
    hrv_kind: SampleKind = "hrv_sdnn"


@dataclass(frozen=True, slots=True)
class NightSleep:
    """One sleep session of one night, for one source or ``"combined"``."""

    night: date
    source: str
    source_name: str
    is_main: bool
    session_start: datetime
    session_end: datetime
    sleep_start: datetime | None
    sleep_end: datetime | None
    in_bed_min: float
    asleep_min: float | None
    deep_min: float | None
    core_min: float | None
    rem_min: float | None
    awake_min: float | None
    awakenings: int | None
    hr_mean: float | None
    hrv_mean: float | None
    sources: tuple[str, ...]
    zone: str | None


@dataclass(slots=True)
class _Piece:
    start: float
    end: float
    weights: dict[str, float]
    key: tuple[str, str]
    level: int
    detail: bool
    asleep: float  # the fraction of the piece's time that is asleep (0 for in bed or awake)
    known: frozenset[str]
    summary: SleepSummary | None
    zone: tzinfo | None
    zone_name: str | None
    device: str | None


_Interval = tuple[float, float, _Piece | None]
_Strength = tuple[bool, bool, int, int, str, str]
_strongest = itemgetter(0)


def assemble_nights(
    records: Iterable[SleepSegment | SleepSummary],
    samples: Iterable[Sample] = (),
    config: NightConfig | None = None,
    *,
    nights: Collection[date] | None = None,
    per_source: bool = True,
    combined: bool = True,
) -> list[NightSleep]:
    """Assemble nights (see the module docstring); rows sorted by night, combined first."""
    config = config or NightConfig()
    default = load_zone(config.default_zone)
    pieces = [_piece(record, default) for record in records]
    pieces = [p for p in pieces if p.end > p.start]
    heart = _series(samples, config.hrv_kind)
    rows: list[NightSleep] = []
    if combined:
        rows += _rows(pieces, config, heart, COMBINED, nights)
    if per_source:
        by_source: dict[tuple[str, str], list[_Piece]] = defaultdict(list)
        for piece in pieces:
            by_source[piece.key].append(piece)
        for key in sorted(by_source):
            rows += _rows(by_source[key], config, heart, None, nights)
    if nights is not None:
        rows = [row for row in rows if row.night in nights]
    rows.sort(
        key=lambda r: (r.night, r.source != COMBINED, r.source, r.source_name, r.session_start)
    )
    return rows


def night_window(
    night: date, zone: tzinfo, config: NightConfig | None = None
) -> tuple[datetime, datetime]:
    """The UTC bounds of a night's window (default 18:00 that date → 12:00 next day, local)."""
    config = config or NightConfig()
    start = datetime.combine(night, config.window_start, zone).astimezone(UTC)
    end = datetime.combine(night + timedelta(days=1), config.window_end, zone).astimezone(UTC)
    return start, end


def _piece(record: SleepSegment | SleepSummary, default: tzinfo | None) -> _Piece:
    own = load_zone(record.zone)
    zone = own or default
    if zone is None and record.offset_min is not None:
        zone = timezone(timedelta(minutes=record.offset_min))
    zone_name = record.zone if own else None
    key = (record.source, record.source_name)
    start, end = record.start.timestamp(), record.end.timestamp()
    if isinstance(record, SleepSegment):
        detail = record.stage in _DETAIL
        asleep = 1.0 if record.stage in ASLEEP_STAGES else 0.0
        return _Piece(
            start, end, {record.stage: 1.0}, key, _LEVEL[record.stage], detail, asleep,
            _DETAIL if detail else _NONE, None, zone, zone_name, record.device,
        )  # fmt: skip
    weights, detail = _summary_weights(record, (end - start) / 60)
    known = frozenset(s for s in _DETAIL if getattr(record, f"{s}_min") is not None)
    asleep = sum(f for stage, f in weights.items() if stage in ASLEEP_STAGES)
    return _Piece(
        start, end, weights, key, _SUMMARY_LEVEL, detail, asleep, known, record, zone,
        zone_name, None,
    )  # fmt: skip


def _summary_weights(summary: SleepSummary, span_min: float) -> tuple[dict[str, float], bool]:
    """Stage fractions of a summary's span; whatever is not asleep is awake."""
    staged = {"deep": summary.deep_min, "core": summary.core_min, "rem": summary.rem_min}
    known = {stage: minutes for stage, minutes in staged.items() if minutes is not None}
    asleep = summary.asleep_min
    if asleep is None:
        asleep = sum(known.values()) if known else span_min - (summary.awake_min or 0.0)
    asleep = max(0.0, min(asleep, span_min)) if span_min > 0 else 0.0
    parts = dict(known)
    parts["asleep_unspecified"] = max(0.0, asleep - sum(known.values()))
    total = sum(parts.values())
    scale = (asleep / total if total > asleep else 1.0) / span_min if span_min > 0 else 0.0
    weights = {stage: minutes * scale for stage, minutes in parts.items() if minutes > 0}
    return weights, bool(known)


def _series(
    samples: Iterable[Sample], hrv_kind: SampleKind
) -> dict[str, tuple[list[float], list[float]]]:
    """Sorted (times, values) for heart rate and the chosen HRV kind."""
    wanted = {"heart_rate": "hr", hrv_kind: "hrv"}
    points: dict[str, list[tuple[float, float]]] = {"hr": [], "hrv": []}
    for sample in samples:
        name = wanted.get(sample.kind)
        if name is not None:
            points[name].append((sample.time.timestamp(), sample.value))
    series = {}
    for name, pairs in points.items():
        pairs.sort()
        series[name] = ([t for t, _ in pairs], [v for _, v in pairs])
    return series


def _sessions(pieces: list[_Piece], gap_s: float) -> list[list[_Piece]]:
    ordered = sorted(pieces, key=lambda p: (p.start, p.end))
    sessions: list[list[_Piece]] = []
    end = float("-inf")
    for piece in ordered:
        if not sessions or piece.start - end > gap_s:
            sessions.append([])
            end = piece.end
        sessions[-1].append(piece)
        end = max(end, piece.end)
    return sessions


def _rows(
    pieces: list[_Piece],
    config: NightConfig,
    heart: dict[str, tuple[list[float], list[float]]],
    label: str | None,
    nights: Collection[date] | None,
) -> list[NightSleep]:
    by_night: dict[date, list[tuple[NightSleep, tzinfo]]] = defaultdict(list)
    for session in _sessions(pieces, config.session_gap_min * 60):
        night, zone = _night_zone(session)
        if nights is not None and night not in nights:
            continue  # a night the caller does not keep (its margin): not worth measuring
        by_night[night].append((_measure(session, night, config, heart, label), zone))
    rows: list[NightSleep] = []
    for night, candidates in by_night.items():
        main = _main(night, candidates, config)
        rows += [row if row is not main else replace(row, is_main=True) for row, _ in candidates]
    return rows


def _main(
    night: date, candidates: list[tuple[NightSleep, tzinfo]], config: NightConfig
) -> NightSleep | None:
    """The session with the most time in bed among those mostly inside the night window."""
    best: NightSleep | None = None
    for row, zone in candidates:
        start, end = night_window(night, zone, config)
        inside = min(row.session_end, end) - max(row.session_start, start)
        span = row.session_end - row.session_start
        qualifies = inside > timedelta(0) and inside * 2 >= span
        if qualifies and (best is None or row.in_bed_min > best.in_bed_min):
            best = row
    return best


def _night_zone(session: list[_Piece]) -> tuple[date, tzinfo]:
    """The night a session (sorted by start) belongs to, and the zone that decides it."""
    zone = next((p.zone for p in session if p.zone is not None), None) or UTC
    return night_of(from_epoch_s(session[0].start), zone), zone


def _measure(
    session: list[_Piece],
    night: date,
    config: NightConfig,
    heart: dict[str, tuple[list[float], list[float]]],
    label: str | None,
) -> NightSleep:
    timeline = _timeline(session, config)
    winners: list[_Piece] = []
    stage_s: dict[str, float] = defaultdict(float)
    in_bed = 0.0
    for a, b, piece in timeline:
        if piece is not None:
            winners.append(piece)
            span = b - a
            in_bed += span
            for stage, fraction in piece.weights.items():
                stage_s[stage] += span * fraction
    statement = any(p.level > 0 for p in winners)
    known = frozenset().union(*(p.known for p in winners))
    asleep = sum(stage_s[s] for s in ASLEEP_STAGES) / 60 if statement else None
    onset, final = _onset_final(timeline)
    first = session[0]
    start = min(p.start for p in session)
    end = max(p.end for p in session)
    window = (onset, final) if onset is not None and final is not None else (start, end)
    key = first.key if label is None else (label, label)
    return NightSleep(
        night=night,
        source=key[0],
        source_name=key[1],
        is_main=False,
        session_start=from_epoch_s(start),
        session_end=from_epoch_s(end),
        sleep_start=None if onset is None else from_epoch_s(onset),
        sleep_end=None if final is None else from_epoch_s(final),
        in_bed_min=in_bed / 60,
        asleep_min=asleep,
        deep_min=stage_s["deep"] / 60 if "deep" in known else None,
        core_min=stage_s["core"] / 60 if "core" in known else None,
        rem_min=stage_s["rem"] / 60 if "rem" in known else None,
        awake_min=None if asleep is None else in_bed / 60 - asleep,
        awakenings=_awakenings(timeline, onset, final, config.min_awakening_min * 60),
        hr_mean=_mean(heart["hr"], *window),
        hrv_mean=_mean(heart["hrv"], *window),
        sources=tuple(sorted({p.key[1] for p in winners})),
        zone=next((p.zone_name for p in session if p.zone_name), None),
    )


def _timeline(session: list[_Piece], config: NightConfig) -> list[_Interval]:
    """Cut the session at every boundary and pick the winning piece of each interval."""
    if all(a.end <= b.start for a, b in pairwise(session)):
        return _disjoint_timeline(session)
    priority = config.priority
    detail_keys = {p.key for p in session if p.detail} if config.prefer_stage_detail else set()
    devices: dict[tuple[str, str], str | None] = {}
    for piece in session:
        if devices.get(piece.key) is None:
            devices[piece.key] = piece.device
    ranks = {key: _rank(priority, *key, device) for key, device in devices.items()}

    def strength(p: _Piece) -> _Strength:
        return (p.level > 0, p.key in detail_keys, -ranks[p.key], p.level, p.key[0], p.key[1])

    bounds = sorted({p.start for p in session} | {p.end for p in session})
    ordered = sorted(session, key=lambda p: p.start)
    strengths = [strength(p) for p in ordered]  # once per piece, not once per comparison
    count = len(ordered)
    active: list[tuple[_Strength, _Piece]] = []
    timeline: list[_Interval] = []
    index = 0
    for a, b in pairwise(bounds):
        if len(active) == 1:
            if active[0][1].end <= a:
                active = []
        elif active:
            active = [entry for entry in active if entry[1].end > a]
        while index < count and ordered[index].start <= a:
            if ordered[index].end > a:
                active.append((strengths[index], ordered[index]))
            index += 1
        winner: _Piece | None = None
        if len(active) == 1:
            winner = active[0][1]
        elif active:  # the first of equally strong pieces wins, as max() keeps the first
            winner = max(active, key=_strongest)[1]
        if timeline and timeline[-1][2] is winner and timeline[-1][1] == a:
            timeline[-1] = (timeline[-1][0], b, winner)
        else:
            timeline.append((a, b, winner))
    return timeline


def _disjoint_timeline(session: list[_Piece]) -> list[_Interval]:
    """The timeline of pieces that do not overlap (one source's stages, one in-bed span).

    Each piece wins its own span and a gap between two pieces has no winner: the same
    intervals the general cut gives, without comparing pieces.
    """
    timeline: list[_Interval] = []
    for piece in session:
        if timeline and timeline[-1][1] < piece.start:
            timeline.append((timeline[-1][1], piece.start, None))
        timeline.append((piece.start, piece.end, piece))
    return timeline


@lru_cache(maxsize=256)
def _rank(priority: SourcePriority, source: str, source_name: str, device: str | None) -> int:
    """The priority rank of one source's device class (classified once, not per session)."""
    return priority.rank(priority.device_class(source, source_name, device))


def _onset_final(timeline: Sequence[_Interval]) -> tuple[float | None, float | None]:
    asleep = [(a, b) for a, b, p in timeline if p is not None and p.asleep > 0]
    if not asleep:
        return None, None
    return asleep[0][0], asleep[-1][1]


def _awakenings(
    timeline: Sequence[_Interval], onset: float | None, final: float | None, min_s: float
) -> int | None:
    winners = [p for _, _, p in timeline if p is not None]
    summaries = {id(p.summary): p.summary for p in winners if p.summary is not None}
    if len(summaries) == 1 and all(p.summary is not None for p in winners):
        return next(iter(summaries.values())).awakenings
    if onset is None or final is None:
        return None
    bouts, run = 0, 0.0
    for a, b, piece in timeline:
        if b <= onset or a >= final:
            continue
        if piece is None:
            continue  # no data: unknown, neither awake nor asleep
        if piece.summary is not None:
            return None  # a summary's awakenings cannot be placed in time
        if piece.asleep > 0:
            if run >= min_s:
                bouts += 1
            run = 0.0
        else:
            run += b - a
    return bouts


def _mean(series: tuple[list[float], list[float]], start: float, end: float) -> float | None:
    times, values = series
    lo, hi = bisect_left(times, start), bisect_right(times, end)
    if hi <= lo:
        return None
    return sum(values[lo:hi]) / (hi - lo)
