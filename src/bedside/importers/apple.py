"""Apple Health ``export.zip`` / ``export.xml``, streamed with constant memory.

What is read:

* ``HKCategoryTypeIdentifierSleepAnalysis`` → :class:`SleepSegment` (iOS 16+ stages
  ``AsleepCore/Deep/REM``, ``Awake``, ``InBed``, ``AsleepUnspecified`` and the legacy
  ``Asleep``; the numeric codes 0-5 some tools write are accepted too), with the
  ``HKTimeZone`` metadata as ``zone`` and the written offset as ``offset_min``;
* heart rate, resting heart rate, HRV (SDNN) and respiratory rate → :class:`Sample`;
* ``Workout`` → :class:`Workout` (energy from ``totalEnergyBurned`` or, since iOS 16, the
  ``WorkoutStatistics`` of active energy);
* ``HKCategoryTypeIdentifierMindfulSession`` → :class:`MindfulSession`.

Everything else (step counts, energy, ``ActivitySummary``, ``Correlation`` …) is counted in
``stats.ignored`` by type. Records nested in a ``Correlation`` repeat top-level records (the
export's DTD says so) and are skipped.

**Times.** Apple writes every date with the phone's UTC offset *at export time*, so a January
night exported in summer reads ``+0200`` in Amsterdam. The written time is still the right
instant, so the instant is kept as written; ``HKTimeZone`` (when present) tells the zone for
local dates. Records whose written offset differs from their zone's offset at that instant are
counted and reported in ``stats.notes``.

**Speed.** An lxml *parser target* (:class:`_Target`) is fed the export 1 MB at a time and
told of each start tag with its attributes as a dict: no element tree and no element objects,
which makes the parse about as cheap as a bare ``iterparse`` that only counts records. What
one chunk yields is handed on between chunks, so memory stays flat. The fixed-format dates go
through the hour caches of :mod:`~bedside.importers.timeparse` instead of ``strptime``, and
heart-rate samples, most of a real export, cost a handful of dictionary reads and one object
(or one row) each. A target is told no line numbers: the line of an unreadable record is found
on that error path only, by searching its start tag in the text around it (:func:`_locate_offset`).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from lxml import etree

from bedside.importers.base import (
    Batch,
    ImportFileError,
    ImportStats,
    MindfulSession,
    Progress,
    Record,
    Sample,
    SampleKind,
    SampleRow,
    SleepSegment,
    Stage,
    Workout,
)
from bedside.importers.streams import STREAM_ERRORS, XmlCleaner, open_input, peek, zip_names
from bedside.importers.timeparse import (
    APPLE_HOUR_EPOCHS,
    APPLE_HOURS,
    MINUTE_SECOND,
    MINUTE_SECOND_S,
    TimeFormatError,
    apple_instant,
    apple_offset_min,
    load_zone,
)

_T = TypeVar("_T")
SOURCE = "apple-health"
SLEEP_TYPE = "HKCategoryTypeIdentifierSleepAnalysis"
MINDFUL_TYPE = "HKCategoryTypeIdentifierMindfulSession"
SAMPLE_TYPES: dict[str, SampleKind] = {
    "HKQuantityTypeIdentifierHeartRate": "heart_rate",
    "HKQuantityTypeIdentifierRestingHeartRate": "resting_heart_rate",
    "HKQuantityTypeIdentifierHeartRateVariabilitySDNN": "hrv_sdnn",
    "HKQuantityTypeIdentifierRespiratoryRate": "respiratory_rate",
}
SLEEP_VALUES: dict[str, Stage] = {
    "HKCategoryValueSleepAnalysisInBed": "in_bed",
    "HKCategoryValueSleepAnalysisAsleep": "asleep_unspecified",
    "HKCategoryValueSleepAnalysisAsleepUnspecified": "asleep_unspecified",
    "HKCategoryValueSleepAnalysisAwake": "awake",
    "HKCategoryValueSleepAnalysisAsleepCore": "core",
    "HKCategoryValueSleepAnalysisAsleepDeep": "deep",
    "HKCategoryValueSleepAnalysisAsleepREM": "rem",
    "0": "in_bed",
    "1": "asleep_unspecified",
    "2": "awake",
    "3": "core",
    "4": "deep",
    "5": "rem",
}
_TAGS = ("Record", "Workout", "ActivitySummary", "Correlation")
_TAG_SET = frozenset(_TAGS)
#: Record types counted as ignored (only these; any other type goes the general way).
_IGNORED_TYPES = frozenset(
    f"HKQuantityTypeIdentifier{name}"
    for name in (
        "StepCount",
        "ActiveEnergyBurned",
        "BasalEnergyBurned",
        "DistanceWalkingRunning",
        "AppleStandTime",
        "AppleExerciseTime",
        "FlightsClimbed",
        "OxygenSaturation",
    )
)
_CHILD_TAGS = frozenset({"MetadataEntry", "WorkoutStatistics"})  # the children records read
#: Bytes fed to the parser at a time; what one chunk holds is yielded after it.
_CHUNK = 1 << 20
_RECORD_ERRORS = (TimeFormatError, TypeError, ValueError, KeyError)
_ATTRIBUTE = re.compile(rb"""\s+([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTRIBUTE_SPACE = re.compile(rb"\r\n?|[\n\t]")  # XML turns these into a space in a value
_Window = tuple[int, bytes, bytes]
_PARSER_OPTIONS: dict[str, Any] = {
    # A parser target is handed attribute values as libxml2 keeps them, "&amp;" as "&#38;"
    # unless entities are resolved; no entity can be declared (XmlCleaner blanks the
    # DOCTYPE and the target refuses one that reaches it), so only the five XML ones are.
    "resolve_entities": "internal",
    "load_dtd": False,
    "no_network": True,
    "huge_tree": False,  # keep libxml2's limits: no 10 MB text nodes, no 256-deep trees
}
ENTITIES_MESSAGE = (
    "the file declares XML entities, which Apple Health exports never use; Bedside does not "
    "expand them (a crafted file?), so nothing was imported"
)
DOCTYPE_MESSAGE = (
    "a document type declaration far from the start of the file, which Apple Health exports "
    "never have (a crafted file?); nothing was imported"
)
_TYPE_PREFIX = re.compile(r"^HK(?:Quantity|Category|Correlation|Data)TypeIdentifier")
_DEVICE_FIELD = re.compile(r"(?:^|, )(name|hardware):(.*?)(?=, [A-Za-z]+:|>?$)")
_DURATION_MIN = {"min": 1.0, "s": 1 / 60, "sec": 1 / 60, "hr": 60.0, "h": 60.0}
_ENERGY_KCAL = {"kcal": 1.0, "Cal": 1.0, "cal": 0.001, "kJ": 1 / 4.184, "J": 1 / 4184}


# Samples are built in the hot loop without the frozen dataclass __init__ (which goes through
# object.__setattr__ once per field): the slot descriptors' own __set__ gives the same frozen,
# slotted object about twice as fast.
def _slot_setter(name: str) -> Callable[[object, object], None]:
    return cast(Callable[[object, object], None], vars(Sample)[name].__set__)


_SET_KIND, _SET_TIME, _SET_VALUE = _slot_setter("kind"), _slot_setter("time"), _slot_setter("value")
_SET_SOURCE, _SET_NAME = _slot_setter("source"), _slot_setter("source_name")
_new = object.__new__


def pick_export_member(names: list[str]) -> str | None:
    """Choose ``…/export.xml`` in an export zip (never ``export_cda.xml`` or macOS junk)."""
    candidates = [
        n
        for n in names
        if not n.startswith("__MACOSX/") and (n == "export.xml" or n.endswith("/export.xml"))
    ]
    candidates.sort(key=lambda n: (n.count("/"), n != "apple_health_export/export.xml"))
    return candidates[0] if candidates else None


class AppleHealthImporter:
    """Importer for Apple Health exports (zip or xml)."""

    name = "apple-health"

    def sniff(self, path: Path) -> bool:
        """True for a zip holding ``export.xml`` or an XML file whose root is ``HealthData``.

        The file must start like XML (``<``, after a byte-order mark and white space), so a
        text that merely mentions ``<HealthData`` (a README, a CSV) is not taken for an export.
        """
        if path.is_dir():
            return False
        if path.suffix.lower() == ".zip":
            return pick_export_member(zip_names(path)) is not None
        head = peek(path, 1 << 20)
        starts_like_xml = head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")
        return starts_like_xml and b"<HealthData" in head

    def iter_records(
        self,
        path: Path,
        progress: Progress | None = None,
        stats: ImportStats | None = None,
    ) -> Iterator[Record]:
        """Stream the records of an export (see the module docstring)."""
        stats = stats if stats is not None else ImportStats()
        with open_input(path, progress, pick_export_member) as stream:
            parser = _Parser(path, stats)
            yield from parser.run(XmlCleaner(stream), _RecordTarget(parser))

    def iter_batches(
        self,
        path: Path,
        progress: Progress | None = None,
        stats: ImportStats | None = None,
        size: int = 8_000,
    ) -> Iterator[Batch]:
        """The same records in batches: samples as plain :data:`SampleRow` tuples, the rest as
        records. Cheaper per record than :meth:`iter_records` (no ``Sample`` object, no
        datetime): this is what the parsing child process of a large import sends.
        """
        stats = stats if stats is not None else ImportStats()
        with open_input(path, progress, pick_export_member) as stream:
            parser = _Parser(path, stats)
            yield from parser.run(XmlCleaner(stream), _BatchTarget(parser, size))


class _Parser:
    """One pass over one export; keeps the counters the summary needs."""

    def __init__(self, path: Path, stats: ImportStats) -> None:
        self.path = path
        self.stats = stats
        self.ignored: Counter[str] = Counter()
        self.zone_mismatches = 0
        self.bad_zones: set[str] = set()

    def run(self, source: XmlCleaner, target: _Target[_T]) -> Iterator[_T]:
        """Feed the file to ``target`` chunk by chunk, yielding its output between chunks.

        Whatever the target built before an error is yielded before the error is raised (as
        a pull parser would have), with the error translated to :class:`ImportFileError`.
        """
        parser = etree.XMLParser(target=target, **_PARSER_OPTIONS)
        more = True
        while more:
            error: ImportFileError | None = None
            try:
                chunk = source.read(_CHUNK)
                target.next_chunk(chunk)
                if chunk:
                    parser.feed(chunk)
                else:
                    more = False
                    parser.close()
                    target.finish()
            except _BadRecordError as bad:
                error = self._unreadable(bad)
            except _DoctypeError:
                error = ImportFileError(self.path, DOCTYPE_MESSAGE)
            except (etree.XMLSyntaxError, *STREAM_ERRORS) as exc:
                error = self._broken(exc, source, target)
            yield from target.take()
            if error is not None:
                raise error
        if target.root_tag != "HealthData":
            tag = target.root_tag or "none"
            raise ImportFileError(
                self.path, f"not an Apple Health export (root element is {tag}, not HealthData)"
            )
        self._finish()

    def _broken(self, exc: Exception, source: XmlCleaner, target: _Target[Any]) -> ImportFileError:
        """The error for a file that breaks off; a bad record read before the break comes first."""
        try:
            target.settle()
        except _BadRecordError as bad:
            return self._unreadable(bad)
        if isinstance(exc, etree.XMLSyntaxError):
            return self._syntax_error(exc, source)
        where = f" after {source.consumed:,} bytes of XML" if source.consumed else ""
        return ImportFileError(
            self.path, f"the file is truncated or corrupt{where} ({exc})", line=None
        )

    def _syntax_error(self, exc: etree.XMLSyntaxError, source: XmlCleaner) -> ImportFileError:
        line = exc.position[0] if exc.position and exc.position[0] > 0 else None
        truncated = source.at_end and not source.ends_with(b"</HealthData>")
        message = _xml_message(exc, truncated)
        if source.declared_entities:
            message = ENTITIES_MESSAGE
        return ImportFileError(self.path, message, line=line)

    def _unreadable(self, bad: _BadRecordError) -> ImportFileError:
        elem, exc = bad.element, bad.error
        what = elem.get("type") or elem.tag
        detail = f"bad time {exc}" if isinstance(exc, KeyError) else str(exc)
        return ImportFileError(self.path, f"unreadable {what}: {detail}", line=self._line(elem))

    def _line(self, elem: _Element) -> int | None:
        """The line of ``elem``'s start tag: the file is read again up to it (error path)."""
        offset = _locate_offset(elem)
        if offset is None:
            return None
        lines = 1
        with open_input(self.path, None, pick_export_member) as stream:
            source = XmlCleaner(stream)  # the same text lxml was fed (same line breaks)
            while offset > 0:
                chunk = source.read(min(offset, _CHUNK))
                if not chunk:
                    break
                lines += chunk.count(b"\n")
                offset -= len(chunk)
        return lines

    def _other(self, elem: Any, type_: str | None) -> Record | None:
        """Everything but the four sample types: rare, so clarity over speed here."""
        if type_ == SLEEP_TYPE:
            return self._sleep(elem)
        if type_ == MINDFUL_TYPE:
            return self._mindful(elem)
        tag = elem.tag
        if tag == "Workout":
            return self._workout(elem)
        self.ignored[type_ or tag] += 1
        return None

    def _sleep(self, elem: Any) -> SleepSegment | None:
        value = elem.get("value")
        stage = SLEEP_VALUES.get(value)
        if stage is None:
            self.ignored[f"SleepAnalysis value {value}"] += 1
            return None
        start_text = elem.get("startDate")
        start = apple_instant(start_text)
        written = apple_offset_min(start_text)
        zone = self._zone(elem, start, written)
        return SleepSegment(
            start=start,
            end=apple_instant(elem.get("endDate")),
            stage=stage,
            source=SOURCE,
            source_name=elem.get("sourceName"),
            device=device_label(elem.get("device")),
            zone=zone,
            offset_min=written,
        )

    def _mindful(self, elem: Any) -> MindfulSession:
        start = apple_instant(elem.get("startDate"))
        return MindfulSession(
            start=start,
            end=apple_instant(elem.get("endDate")),
            source=SOURCE,
            source_name=elem.get("sourceName"),
            zone=self._zone(elem, start, apple_offset_min(elem.get("startDate"))),
        )

    def _workout(self, elem: Any) -> Workout:
        start = apple_instant(elem.get("startDate"))
        end = apple_instant(elem.get("endDate"))
        duration = elem.get("duration")
        if duration is None:
            minutes = (end - start).total_seconds() / 60
        else:
            minutes = float(duration) * _DURATION_MIN.get(elem.get("durationUnit") or "min", 1.0)
        activity = (elem.get("workoutActivityType") or "Other").removeprefix(
            "HKWorkoutActivityType"
        )
        return Workout(
            activity=activity,
            start=start,
            end=end,
            duration_min=minutes,
            energy_kcal=_workout_energy(elem),
            source=SOURCE,
            source_name=elem.get("sourceName"),
            zone=self._zone(elem, start, apple_offset_min(elem.get("startDate"))),
        )

    def _zone(self, elem: Any, start: datetime, written_offset: int) -> str | None:
        """The ``HKTimeZone`` of a record, checked against the written offset."""
        name: str | None = None
        for child in elem.iterchildren("MetadataEntry"):
            if child.get("key") == "HKTimeZone":
                name = child.get("value")
                break
        if name is None:
            return None
        zone = load_zone(name)
        if zone is None:
            self.bad_zones.add(name)
            return None
        actual = start.astimezone(zone).utcoffset() or timedelta(0)
        if int(actual.total_seconds() // 60) != written_offset:
            self.zone_mismatches += 1
        return name

    def _finish(self) -> None:
        for type_, count in self.ignored.items():
            self.stats.ignored[_TYPE_PREFIX.sub("", type_)] += count
        if self.zone_mismatches:
            n = self.zone_mismatches
            self.stats.notes.append(
                f"{n:,} record{'s were' if n != 1 else ' was'} written with a UTC offset that "
                "differs from its HKTimeZone (Apple writes dates with the offset at export time); "
                "the instants were kept as written and the zone is used for local dates"
            )
        if self.bad_zones:
            names = ", ".join(sorted(self.bad_zones))
            self.stats.notes.append(f"unknown HKTimeZone values ignored: {names}")


class _Element:
    """A top-level element kept until its end tag, or one of its children that matter.

    Offers what the record builders use of an lxml element: ``tag``, ``get`` and
    ``iterchildren(tag)``. ``window`` is the text around its start tag (:func:`_locate_offset`).
    """

    __slots__ = ("attrib", "children", "get", "tag", "window")

    def __init__(self, tag: str, attrib: Any, window: _Window = (0, b"", b"")) -> None:
        self.tag = tag
        self.attrib = attrib
        self.get = attrib.get
        self.children: list[_Element] = []
        self.window = window

    def iterchildren(self, tag: str) -> list[_Element]:
        """The kept children named ``tag``, in document order."""
        return [child for child in self.children if child.tag == tag]


class _BadRecordError(Exception):
    """A record that cannot be read, raised inside the parser target; carries the record."""

    def __init__(self, element: _Element, error: Exception) -> None:
        super().__init__(str(error))
        self.element = element
        self.error = error


class _Floats(dict[str | None, float]):
    """``float(text)``, remembered: samples repeat a few hundred values (heart rates in bpm).

    A lookup costs a third of ``float()``; the same errors on a miss; bounded.
    """

    def __missing__(self, text: str | None) -> float:
        value = float(text)  # type: ignore[arg-type]  # None raises TypeError, as before
        if len(self) >= 4_096:
            self.clear()
        self[text] = value
        return value


class _DoctypeError(Exception):
    """A document type declaration reached the parser (see :meth:`_Target.doctype`)."""


class _Target(Generic[_T]):
    """An lxml parser target: what both outputs share (element depth, children, the rest).

    lxml calls :meth:`start` for every element while a chunk is fed, with the attributes as a
    plain dict: no tree, no element proxies. Only the direct children of the root that are
    ``Record``, ``Workout``, ``ActivitySummary`` or ``Correlation`` are read (so a Record
    inside a Correlation is skipped). Samples are built at their start tag; sleep, mindful and
    workout records keep their ``MetadataEntry`` and ``WorkoutStatistics`` children and are
    built when the next top-level element starts (or the file ends); everything else is
    counted as ignored.

    ``end`` is ``list.append`` on :attr:`ended`, so an end tag costs no Python call: the depth
    of an element is the number of elements opened before it minus those ended, and
    :meth:`next_chunk` folds the ended ones into :attr:`opened` so the list stays short.
    """

    def __init__(self, parser: _Parser) -> None:
        self.parser = parser
        self.opened = 0
        self.ended: list[str] = []
        self.end = self.ended.append
        self.root_tag: str | None = None
        self.current: _Element | None = None
        #: (offset of the previous chunk in the XML, the previous chunk, the chunk being fed)
        self.window: _Window = (0, b"", b"")
        self.ignored = parser.ignored
        self.floats = _Floats()

    def next_chunk(self, chunk: bytes) -> None:
        """Note the chunk about to be fed (for the line of an unreadable record)."""
        offset, previous, current = self.window
        self.window = (offset + len(previous), current, chunk)
        self.opened -= len(self.ended)
        self.ended.clear()

    @property
    def depth(self) -> int:
        """How many elements are open (0 before the root and after it ends)."""
        return self.opened - len(self.ended)

    def nested(self, depth: int, tag: str, attrib: Any) -> None:
        """:meth:`start` for the root and for the elements inside top-level ones."""
        if depth == 2:
            current = self.current
            if current is not None and tag in _CHILD_TAGS:
                current.children.append(_Element(tag, attrib))
        elif depth == 0:
            self.root_tag = tag

    def begin(self, tag: str, attrib: Any, type_: str | None) -> None:
        """A top-level element that is not a sample: keep it, count it as ignored or skip it."""
        if tag not in _TAG_SET:
            return  # ExportDate, Me …
        if type_ in (SLEEP_TYPE, MINDFUL_TYPE) or tag == "Workout":
            self.current = _Element(tag, attrib, self.window)
        else:
            self.ignored[type_ or tag] += 1

    def build_current(self) -> None:
        """Turn the kept top-level element (its end tag has been read) into its record."""
        elem, self.current = self.current, None
        if elem is None:
            return
        try:
            record = self.parser._other(elem, elem.get("type"))
        except _RECORD_ERRORS as exc:
            raise _BadRecordError(elem, exc) from None
        if record is not None:
            self.emit(record)

    def settle(self) -> None:
        """Before reporting a broken file: build the kept element if its end tag was read."""
        if self.current is not None and self.depth <= 1:
            self.build_current()

    def close(self) -> None:
        """lxml's end of document (the parser's own close is :meth:`finish`)."""

    def doctype(self, name: str, public: str | None, system: str | None) -> None:
        """A DOCTYPE the cleaner could not blank (past its 4 MB look-ahead): refused."""
        raise _DoctypeError(name)

    def emit(self, record: Record) -> None:
        """Hand on a record that is not a sample."""
        raise NotImplementedError

    def finish(self) -> None:
        """The whole file was read without error."""
        self.build_current()

    def take(self) -> list[_T]:
        """What was built since the last call, in file order."""
        raise NotImplementedError


class _RecordTarget(_Target[Record]):
    """The output of :meth:`AppleHealthImporter.iter_records`: one record at a time."""

    def __init__(self, parser: _Parser) -> None:
        super().__init__(parser)
        self.out: list[Record] = []

    def start(self, tag: str, attrib: Any) -> None:
        """The hot path: samples (mostly heart rate) are most of a real export."""
        opened = self.opened
        self.opened = opened + 1
        depth = opened - len(self.ended)
        if depth != 1:
            if depth == 0 or self.current is not None:
                self.nested(depth, tag, attrib)
            return  # inside a sample or an ignored record
        if self.current is not None:
            self.build_current()
        get = attrib.get
        type_ = get("type")
        kind = SAMPLE_TYPES.get(type_) if tag == "Record" else None
        if kind is None:
            if type_ in _IGNORED_TYPES and tag == "Record":
                self.ignored[type_] += 1  # step counts, energy …: the other half of an export
            else:
                self.begin(tag, attrib, type_)
            return
        try:  # apple_instant() and Sample() inlined (same results)
            when = get("startDate")
            sample = _new(Sample)
            _SET_KIND(sample, kind)
            _SET_TIME(sample, APPLE_HOURS[when[:13] + when[19:]] + MINUTE_SECOND[when[14:19]])
            _SET_VALUE(sample, self.floats[get("value")])
            _SET_SOURCE(sample, SOURCE)
            _SET_NAME(sample, get("sourceName"))
        except _RECORD_ERRORS as exc:
            raise _BadRecordError(_Element(tag, attrib, self.window), exc) from None
        self.out.append(sample)

    def emit(self, record: Record) -> None:
        """Hand on a record that is not a sample."""
        self.out.append(record)

    def take(self) -> list[Record]:
        """The records built since the last call."""
        out, self.out = self.out, []
        return out


class _BatchTarget(_Target[Batch]):
    """The output of :meth:`AppleHealthImporter.iter_batches`: samples as rows, in batches.

    A batch ends at ``size`` rows or after ``size // 8`` other records (each far larger than
    a row), so the stretch of an export that holds years of sleep stages never makes one
    huge batch.
    """

    def __init__(self, parser: _Parser, size: int) -> None:
        super().__init__(parser)
        self.size = size
        self.others_limit = max(size // 8, 1)
        # One string object per source name, so a batch pickles each name once (a memo
        # reference per row after that) and the rows the parent holds share it.
        self.intern = cast(Callable[[str | None, str | None], str], {}.setdefault)
        self.rows: list[SampleRow] = []
        self.others: list[Record] = []
        self.ready: list[Batch] = []

    def start(self, tag: str, attrib: Any) -> None:
        """The hot path, as :meth:`_RecordTarget.start` with a row instead of a Sample."""
        opened = self.opened
        self.opened = opened + 1
        depth = opened - len(self.ended)
        if depth != 1:
            if depth == 0 or self.current is not None:
                self.nested(depth, tag, attrib)
            return  # inside a sample or an ignored record
        if self.current is not None:
            self.build_current()
        get = attrib.get
        type_ = get("type")
        kind = SAMPLE_TYPES.get(type_) if tag == "Record" else None
        if kind is None:
            if type_ in _IGNORED_TYPES and tag == "Record":
                self.ignored[type_] += 1  # step counts, energy …: the other half of an export
            else:
                self.begin(tag, attrib, type_)
            return
        try:
            when = get("startDate")
            name = get("sourceName")
            row = (
                kind,
                APPLE_HOUR_EPOCHS[when[:13] + when[19:]] + MINUTE_SECOND_S[when[14:19]],
                self.floats[get("value")],
                self.intern(name, name),
            )
        except _RECORD_ERRORS as exc:
            raise _BadRecordError(_Element(tag, attrib, self.window), exc) from None
        rows = self.rows
        rows.append(row)
        if len(rows) >= self.size:
            self.flush()

    def emit(self, record: Record) -> None:
        """Add a record that is not a sample; a run of them ends the batch."""
        self.others.append(record)
        if len(self.others) >= self.others_limit:
            self.flush()

    def flush(self) -> None:
        """End the batch being built."""
        self.ready.append((self.rows, self.others))
        self.rows, self.others = [], []

    def finish(self) -> None:
        """The last batch (possibly empty), as the caller expects one at the end."""
        self.build_current()
        self.flush()

    def take(self) -> list[Batch]:
        """The batches completed since the last call."""
        ready, self.ready = self.ready, []
        return ready


def _locate_offset(elem: _Element) -> int | None:
    """Where ``elem``'s start tag is in the XML (an offset), searched in the text fed around it.

    A parser target is told no line numbers, so on this error path only, the start tag is
    looked for in the chunk during which lxml reported it and the chunk before (a tag can
    straddle the two): the first start tag there with the same name and attributes (an
    identical record before it would have failed the same way). ``None`` if not found.
    """
    offset, previous, current = elem.window
    text = previous + current
    opening = re.compile(b"<" + re.escape(elem.tag.encode()) + rb"(?=[\s/>])")
    wanted = dict(elem.attrib)
    for match in opening.finditer(text):
        if _attributes(text, match.end()) == wanted:
            return offset + match.start()
    return None


def _attributes(text: bytes, position: int) -> dict[str, str]:
    """The attributes of the start tag whose name ends at ``position``, as XML reads them."""
    found: dict[str, str] = {}
    while (match := _ATTRIBUTE.match(text, position)) is not None:
        raw = match.group(2) if match.group(2) is not None else match.group(3)
        value = _ATTRIBUTE_SPACE.sub(b" ", raw).decode("utf-8", "replace")
        found[match.group(1).decode("utf-8", "replace")] = html.unescape(value)
        position = match.end()
    return found


def _workout_energy(elem: Any) -> float | None:
    total = elem.get("totalEnergyBurned")
    if total is not None:
        return float(total) * _ENERGY_KCAL.get(elem.get("totalEnergyBurnedUnit") or "kcal", 1.0)
    for child in elem.iterchildren("WorkoutStatistics"):
        if child.get("type") == "HKQuantityTypeIdentifierActiveEnergyBurned":
            value = child.get("sum")
            if value is not None:
                return float(value) * _ENERGY_KCAL.get(child.get("unit") or "kcal", 1.0)
    return None


def device_label(device: str | None) -> str | None:
    """Shorten Apple's ``<<HKDevice: 0x…>, name:Apple Watch, …, hardware:Watch6,7, …>``.

    Returns e.g. ``"Apple Watch (Watch6,7)"``; the memory address, which changes from record
    to record, is dropped.
    """
    if not device:
        return None
    fields: dict[str, str] = dict(_DEVICE_FIELD.findall(device))
    name = fields.get("name", "").strip()
    hardware = fields.get("hardware", "").strip()
    if name and hardware:
        return f"{name} ({hardware})"
    return name or hardware or None


def _xml_message(exc: etree.XMLSyntaxError, truncated: bool) -> str:
    text = " ".join(str(exc.msg or exc).split("\n", 1)[0].split())
    if "limit exceeded" in text.lower():
        return (
            "a value or an element nesting far larger than any Apple Health export holds "
            "(libxml2's size limits exceeded); nothing was imported"
        )
    if "Document is empty" in text or "Start tag expected" in text:
        return f"not an XML file, so not an Apple Health export ({text})"
    if truncated or "Premature end" in text or "not finished" in text:
        return f"the XML ends too early; the export is probably truncated ({text})"
    return f"malformed XML: {text}"
