# ruff: noqa: E501  (the DTD and element templates are copied as one line each, as Apple writes them)
"""Write a deterministic, realistic Apple Health export of a given size (for benchmarks).

The file looks like a real ``export.xml``: an internal ``<!DOCTYPE HealthData [...]>`` subset,
``ExportDate`` and ``Me``, then ``Record`` elements grouped by type (heart rate first and
dominant: about every 5 minutes all day from the Watch, every 5 seconds during workouts),
Apple Watch sleep stages plus an iPhone ``InBed`` segment every night (with ``HKTimeZone``),
resting heart rate, HRV with ``HeartRateVariabilityMetadataList`` children, respiratory rate
during sleep, step counts from the iPhone and the Watch, energy and distance, mindful sessions,
then ``Workout`` elements with ``WorkoutEvent``/``WorkoutStatistics``/``MetadataEntry``
children and ``ActivitySummary`` rows. Like real exports, every date is written with the
device's UTC offset *at export time* (``-0700``), even for winter dates.

Usage::

    python bench/make_apple_export.py --size 1GB --out /tmp/export.xml
    python bench/make_apple_export.py --size 200MB --out /tmp/export.zip --zip

Never write generated data into the repository.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("America/Los_Angeles")
WRITTEN_OFFSET = -7 * 3600  # the offset on the exporting phone, used for every date
OFFSET_TEXT = "-0700"
FIRST_DAY = datetime(2019, 1, 1, tzinfo=UTC)
CHUNK = 1 << 20

WATCH = "Sam’s Apple Watch"
PHONE = "Sam’s iPhone"
WATCH_DEVICE = (
    "&lt;&lt;HKDevice: 0x{addr:x}&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,7, software:10.2&gt;"
)
PHONE_DEVICE = (
    "&lt;&lt;HKDevice: 0x{addr:x}&gt;, name:iPhone, manufacturer:Apple Inc., "
    "model:iPhone, hardware:iPhone14,2, software:17.2.1&gt;"
)

DTD = """<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 12 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth         CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex       CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBloodType           CDATA #REQUIRED
  HKCharacteristicTypeIdentifierFitzpatrickSkinType CDATA #REQUIRED
  HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!-- Note: Any Records that appear as children of a correlation also appear as top-level records in this document. -->
<!ELEMENT Correlation ((MetadataEntry|Record)*)>
<!ATTLIST Correlation
  type          CDATA #REQUIRED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  totalDistance         CDATA #IMPLIED
  totalDistanceUnit     CDATA #IMPLIED
  totalEnergyBurned     CDATA #IMPLIED
  totalEnergyBurnedUnit CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  sourceVersion         CDATA #IMPLIED
  device                CDATA #IMPLIED
  creationDate          CDATA #IMPLIED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
<!ELEMENT WorkoutEvent (MetadataEntry?)>
<!ATTLIST WorkoutEvent
  type                  CDATA #REQUIRED
  date                  CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
>
<!ELEMENT WorkoutStatistics EMPTY>
<!ATTLIST WorkoutStatistics
  type                  CDATA #REQUIRED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
  average               CDATA #IMPLIED
  minimum               CDATA #IMPLIED
  maximum               CDATA #IMPLIED
  sum                   CDATA #IMPLIED
  unit                  CDATA #IMPLIED
>
<!ELEMENT WorkoutRoute ((MetadataEntry|FileReference)*)>
<!ATTLIST WorkoutRoute
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT FileReference EMPTY>
<!ATTLIST FileReference
  path CDATA #REQUIRED
>
<!ELEMENT ActivitySummary EMPTY>
<!ATTLIST ActivitySummary
  dateComponents           CDATA #IMPLIED
  activeEnergyBurned       CDATA #IMPLIED
  activeEnergyBurnedGoal   CDATA #IMPLIED
  activeEnergyBurnedUnit   CDATA #IMPLIED
  appleMoveTime            CDATA #IMPLIED
  appleMoveTimeGoal        CDATA #IMPLIED
  appleExerciseTime        CDATA #IMPLIED
  appleExerciseTimeGoal    CDATA #IMPLIED
  appleStandHours          CDATA #IMPLIED
  appleStandHoursGoal      CDATA #IMPLIED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
<!-- Note: Heart Rate Variability records captured by Apple Watch may include an associated list of instantaneous beats-per-minute readings. -->
<!ELEMENT HeartRateVariabilityMetadataList (InstantaneousBeatsPerMinute*)>
<!ELEMENT InstantaneousBeatsPerMinute EMPTY>
<!ATTLIST InstantaneousBeatsPerMinute
  bpm  CDATA #REQUIRED
  time CDATA #REQUIRED
>
]>
"""

HEAD = """<HealthData locale="en_US">
 <ExportDate value="{export_date}"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1988-04-12" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>
"""

REC = (
    ' <Record type="HKQuantityTypeIdentifier{type}" sourceName="{src}" sourceVersion="{ver}"'
    '{dev} unit="{unit}" creationDate="{c}" startDate="{s}" endDate="{e}" value="{v}"'
)
SLEEP_REC = (
    ' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="{src}" sourceVersion="{ver}"'
    '{dev} creationDate="{c}" startDate="{s}" endDate="{e}" value="HKCategoryValueSleepAnalysis{v}">\n'
    '  <MetadataEntry key="HKTimeZone" value="America/Los_Angeles"/>\n </Record>\n'
)
STAGE_CYCLE = (("Core", 25), ("Deep", 40), ("Core", 30), ("REM", 20), ("Core", 15), ("Awake", 2))
WORKOUT_TYPES = ("TraditionalStrengthTraining", "Running", "Walking", "Cycling", "Yoga")


class Writer:
    """Buffer text and write it in ~1 MB chunks; count bytes written."""

    def __init__(self, out: io.TextIOBase) -> None:
        self.out = out
        self.parts: list[str] = []
        self.pending = 0
        self.written = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.pending += len(text)
        if self.pending >= CHUNK:
            self.flush()

    def flush(self) -> None:
        data = "".join(self.parts)
        self.out.write(data)
        self.written += len(data.encode("utf-8")) if not data.isascii() else len(data)
        self.parts.clear()
        self.pending = 0


class Clock:
    """Format epoch seconds as Apple writes them: local to the export-time offset."""

    def __init__(self) -> None:
        self.days: dict[int, str] = {}

    def __call__(self, epoch: float) -> str:
        local = int(epoch) + WRITTEN_OFFSET
        day, sec = divmod(local, 86400)
        text = self.days.get(day)
        if text is None:
            text = (datetime(1970, 1, 1) + timedelta(days=day)).strftime("%Y-%m-%d")
            self.days[day] = text
        hours, rest = divmod(sec, 3600)
        return f"{text} {hours:02d}:{rest // 60:02d}:{rest % 60:02d} {OFFSET_TEXT}"


class Day:
    """One simulated day: the evening's sleep, the workout and the waking hours."""

    def __init__(self, index: int, rng: random.Random) -> None:
        midnight = datetime.combine(
            (FIRST_DAY + timedelta(days=index)).date(), datetime.min.time(), ZONE
        )
        self.start = midnight.timestamp()
        self.end = (midnight + timedelta(days=1)).timestamp()
        self.wake = self.start + 7 * 3600 + rng.randint(-1800, 1800)
        self.bed = self.start + 23 * 3600 + rng.randint(-2700, 2700)
        self.sleep_on = self.bed + rng.randint(300, 1500)
        self.next_wake = self.end + 7 * 3600 + rng.randint(-1800, 1800)
        self.workout: tuple[float, float, str] | None = None
        if rng.random() < 0.6:
            w_start = self.start + rng.choice((7.5, 12.5, 18.0)) * 3600 + rng.randint(0, 1800)
            self.workout = (w_start, w_start + rng.randint(25, 70) * 60, rng.choice(WORKOUT_TYPES))
        self.mindful = self.bed - 1200 if rng.random() < 0.25 else None


def heart_rate(day: Day, rng: random.Random, clock: Clock) -> Iterator[str]:
    t = day.start + rng.randint(0, 120)
    dev = f' device="{WATCH_DEVICE}"'
    asleep_from = day.sleep_on
    while t < day.end:
        in_workout = day.workout is not None and day.workout[0] <= t < day.workout[1]
        bpm = rng.randint(110, 165) if in_workout else rng.randint(52, 95)
        if t < day.wake or t >= asleep_from:
            bpm = rng.randint(46, 62)
        stamp = clock(t)
        yield (
            REC.format(
                type="HeartRate",
                src=WATCH,
                ver="10.2",
                dev=dev.format(addr=0x3012772A0 + int(t) % 4096),
                unit="count/min",
                c=clock(t + 7),
                s=stamp,
                e=stamp,
                v=bpm,
            )
            + '>\n  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="'
            + ("2" if in_workout else "0")
            + '"/>\n </Record>\n'
        )
        t += 5 if in_workout else 300 + rng.randint(-40, 40)


def sleep(day: Day, rng: random.Random, clock: Clock) -> Iterator[str]:
    phone_dev = f' device="{PHONE_DEVICE.format(addr=0x280E4C3C0)}"'
    yield SLEEP_REC.format(
        src=PHONE,
        ver="17.2.1",
        dev=phone_dev,
        c=clock(day.next_wake + 300),
        s=clock(day.bed - 600),
        e=clock(day.next_wake + 120),
        v="InBed",
    )
    t = day.sleep_on
    while t < day.next_wake:
        for stage, minutes in STAGE_CYCLE:
            length = max(1, minutes + rng.randint(-5, 5)) * 60 + rng.randint(0, 59)
            end = min(t + length, day.next_wake)
            yield SLEEP_REC.format(
                src=WATCH,
                ver="10.2",
                dev="",
                c=clock(day.next_wake + 600),
                s=clock(t),
                e=clock(end),
                v="Asleep" + stage if stage != "Awake" else "Awake",
            )
            t = end
            if t >= day.next_wake:
                break


def simple(
    type_: str, unit: str, src: str, every: int, value: Callable[[random.Random], str], span: int
) -> Callable[[Day, random.Random, Clock], Iterator[str]]:
    """A quantity written every ``every`` seconds (±25%) during waking hours."""

    def gen(day: Day, rng: random.Random, clock: Clock) -> Iterator[str]:
        dev = "" if src == WATCH else f' device="{PHONE_DEVICE.format(addr=0x280E4C3C0)}"'
        t = day.wake + rng.randint(0, every)
        ver = "10.2" if src == WATCH else "17.2.1"
        while t < day.bed:
            yield (
                REC.format(
                    type=type_,
                    src=src,
                    ver=ver,
                    dev=dev,
                    unit=unit,
                    c=clock(t + span + 30),
                    s=clock(t),
                    e=clock(t + span),
                    v=value(rng),
                )
                + "/>\n"
            )
            t += every + rng.randint(-every // 4, every // 4)

    return gen


def nightly(
    type_: str, unit: str, every: int, value: Callable[[random.Random], str]
) -> Callable[[Day, random.Random, Clock], Iterator[str]]:
    """A quantity written every ``every`` seconds during the night's sleep."""

    def gen(day: Day, rng: random.Random, clock: Clock) -> Iterator[str]:
        t = day.sleep_on + rng.randint(0, every)
        while t < day.next_wake:
            yield (
                REC.format(
                    type=type_,
                    src=WATCH,
                    ver="10.2",
                    dev="",
                    unit=unit,
                    c=clock(t + 600),
                    s=clock(t),
                    e=clock(t + 60),
                    v=value(rng),
                )
                + "/>\n"
            )
            t += every

    return gen


def resting(day: Day, rng: random.Random, clock: Clock) -> Iterator[str]:
    yield (
        REC.format(
            type="RestingHeartRate",
            src=WATCH,
            ver="10.2",
            dev="",
            unit="count/min",
            c=clock(day.end - 600),
            s=clock(day.start + 60),
            e=clock(day.end - 900),
            v=rng.randint(48, 62),
        )
        + "/>\n"
    )


def hrv(day: Day, rng: random.Random, clock: Clock) -> Iterator[str]:
    for k in range(4):
        t = day.start + 2 * 3600 + k * 5 * 3600 + rng.randint(0, 3000)
        beats = []
        for i in range(rng.randint(45, 75)):
            local = datetime.fromtimestamp(t + i, ZONE)
            beats.append(
                f'   <InstantaneousBeatsPerMinute bpm="{rng.randint(50, 80)}" '
                f'time="{local.strftime("%I:%M:%S.00 %p").lstrip("0")}"/>\n'
            )
        yield (
            REC.format(
                type="HeartRateVariabilitySDNN",
                src=WATCH,
                ver="10.2",
                dev=f' device="{WATCH_DEVICE.format(addr=0x30104B2A0)}"',
                unit="ms",
                c=clock(t + 70),
                s=clock(t),
                e=clock(t + 60),
                v=f"{rng.uniform(18, 90):.4f}",
            )
            + ">\n  <HeartRateVariabilityMetadataList>\n"
            + "".join(beats)
            + "  </HeartRateVariabilityMetadataList>\n </Record>\n"
        )


def mindful(day: Day, rng: random.Random, clock: Clock) -> Iterator[str]:
    if day.mindful is not None:
        yield (
            f' <Record type="HKCategoryTypeIdentifierMindfulSession" sourceName="{WATCH}" '
            f'sourceVersion="10.2" creationDate="{clock(day.mindful + 610)}" '
            f'startDate="{clock(day.mindful)}" endDate="{clock(day.mindful + 600)}" '
            'value="HKCategoryValueNotApplicable"/>\n'
        )


def workout(day: Day, rng: random.Random, clock: Clock) -> Iterator[str]:
    if day.workout is None:
        return
    start, end, kind = day.workout
    minutes = (end - start) / 60
    kcal = minutes * rng.uniform(5, 11)
    pause = start + (end - start) / 2
    route = (
        f'  <WorkoutRoute sourceName="{PHONE}" sourceVersion="17.2.1" creationDate="{clock(end)}"'
        f' startDate="{clock(start)}" endDate="{clock(end)}">\n'
        f'   <FileReference path="/workout-routes/route_{clock(start)[:10]}_{int(start) % 97}.gpx"/>\n'
        "  </WorkoutRoute>\n"
        if kind in ("Running", "Walking", "Cycling")
        else ""
    )
    yield (
        f' <Workout workoutActivityType="HKWorkoutActivityType{kind}" duration="{minutes!r}" '
        f'durationUnit="min" sourceName="{WATCH}" sourceVersion="10.2" '
        f'device="{WATCH_DEVICE.format(addr=0x301D0A210)}" creationDate="{clock(end + 5)}" '
        f'startDate="{clock(start)}" endDate="{clock(end)}">\n'
        '  <MetadataEntry key="HKTimeZone" value="America/Los_Angeles"/>\n'
        f'  <MetadataEntry key="HKIndoorWorkout" value="{int(kind in ("Yoga", "TraditionalStrengthTraining"))}"/>\n'
        f'  <MetadataEntry key="HKAverageMETs" value="{rng.uniform(3, 9):.4f} kcal/hr·kg"/>\n'
        f'  <WorkoutEvent type="HKWorkoutEventTypePause" date="{clock(pause)}"/>\n'
        f'  <WorkoutEvent type="HKWorkoutEventTypeResume" date="{clock(pause + 60)}"/>\n'
        f'  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" '
        f'startDate="{clock(start)}" endDate="{clock(end)}" sum="{kcal!r}" unit="kcal"/>\n'
        f'  <WorkoutStatistics type="HKQuantityTypeIdentifierBasalEnergyBurned" '
        f'startDate="{clock(start)}" endDate="{clock(end)}" sum="{minutes * 1.1!r}" unit="kcal"/>\n'
        f'  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="{clock(start)}" '
        f'endDate="{clock(end)}" average="{rng.uniform(110, 150):.3f}" minimum="92" '
        f'maximum="{rng.randint(150, 178)}" unit="count/min"/>\n' + route + " </Workout>\n"
    )


def summary(day: Day, rng: random.Random, clock: Clock) -> Iterator[str]:
    yield (
        f' <ActivitySummary dateComponents="{clock(day.start + 43200)[:10]}" '
        f'activeEnergyBurned="{rng.uniform(200, 900):.3f}" activeEnergyBurnedGoal="600" '
        'activeEnergyBurnedUnit="Cal" appleMoveTime="0" appleMoveTimeGoal="0" '
        f'appleExerciseTime="{rng.randint(5, 90)}" appleExerciseTimeGoal="30" '
        f'appleStandHours="{rng.randint(6, 16)}" appleStandHoursGoal="12"/>\n'
    )


GROUPS: tuple[Callable[[Day, random.Random, Clock], Iterator[str]], ...] = (
    heart_rate,
    sleep,
    resting,
    hrv,
    nightly("RespiratoryRate", "count/min", 600, lambda r: f"{r.uniform(12, 18):.1f}"),
    simple("StepCount", "count", PHONE, 600, lambda r: str(r.randint(5, 900)), 300),
    simple("StepCount", "count", WATCH, 480, lambda r: str(r.randint(5, 700)), 240),
    simple("ActiveEnergyBurned", "kcal", WATCH, 420, lambda r: f"{r.uniform(0.05, 9):.3f}", 60),
    simple("BasalEnergyBurned", "kcal", WATCH, 1800, lambda r: f"{r.uniform(20, 40):.3f}", 1800),
    simple("DistanceWalkingRunning", "km", PHONE, 900, lambda r: f"{r.uniform(0, 1):.5f}", 300),
    simple("AppleStandTime", "min", WATCH, 3600, lambda r: str(r.randint(1, 5)), 300),
    mindful,
    workout,
    summary,
)


def parse_size(text: str) -> int:
    """Parse ``1GB``, ``200MB``, ``500kB`` or a byte count."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kKmMgG]?)i?[bB]?", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 1GB or 200MB)")
    scale = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[match.group(2).lower()]
    return int(float(match.group(1)) * scale)


def bytes_per_day(seed: int) -> float:
    """Estimate the size of one simulated day from a 20-day pilot."""
    clock, total = Clock(), 0
    for group in GROUPS:
        rng = random.Random(seed + 1)
        for index in range(20):
            for text in group(Day(index, random.Random(seed * 100_003 + index)), rng, clock):
                total += len(text.encode("utf-8"))
    return total / 20


def write_export(out: io.TextIOBase, days: int, seed: int) -> int:
    """Write the whole document for ``days`` days; return the number of bytes written."""
    writer = Writer(out)
    clock = Clock()
    export_at = FIRST_DAY.timestamp() + (days + 1) * 86400
    writer.add('<?xml version="1.0" encoding="UTF-8"?>\n' + DTD)
    writer.add(HEAD.format(export_date=clock(export_at)))
    for position, group in enumerate(GROUPS):
        rng = random.Random(seed * 31 + position)
        for index in range(days):
            day = Day(index, random.Random(seed * 100_003 + index))
            for text in group(day, rng, clock):
                writer.add(text)
    writer.add("</HealthData>\n")
    writer.flush()
    return writer.written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=parse_size, default=parse_size("100MB"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--zip", action="store_true", help="write export.zip (deflate)")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    days = max(1, round(args.size / bytes_per_day(args.seed)))
    if args.zip:
        with zipfile.ZipFile(args.out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            info = zipfile.ZipInfo("apple_health_export/export.xml", (2024, 6, 1, 8, 10, 5))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
                written = write_export(text, days, args.seed)
                text.flush()
                text.detach()
    else:
        with args.out.open("w", encoding="utf-8", newline="\n") as text:
            written = write_export(text, days, args.seed)
    elapsed = time.perf_counter() - started
    print(
        f"wrote {args.out}: {days} days, {written / 1e6:,.1f} MB of XML "
        f"({args.out.stat().st_size / 1e6:,.1f} MB on disk) in {elapsed:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
