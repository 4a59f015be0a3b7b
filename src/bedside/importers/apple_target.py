"""The parser target behind the Apple Health importer: the export read with no XML tree.

lxml calls a target's ``start`` for every element while a chunk of the file is fed, with the
attributes as a plain dict, so no element tree and no element objects are built; an end tag
costs no Python call. :class:`RecordTarget` hands on records one at a time,
:class:`BatchTarget` samples as plain rows in batches (what the parsing child process sends).
Which records mean what, and the records other than samples, are
:mod:`bedside.importers.apple`'s (:class:`RecordBuilder`).

A target is told no line numbers: :func:`locate_offset` finds an unreadable record's start
tag in the text fed around it, on that error path only.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar, cast

from bedside.importers.base import Batch, Record, Sample, SampleKind, SampleRow
from bedside.importers.timeparse import (
    APPLE_HOUR_EPOCHS,
    APPLE_HOURS,
    MINUTE_SECOND,
    MINUTE_SECOND_S,
    TimeFormatError,
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
_RECORD_ERRORS = (TimeFormatError, TypeError, ValueError, KeyError)
_ATTRIBUTE = re.compile(rb"""\s+([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ATTRIBUTE_SPACE = re.compile(rb"\r\n?|[\n\t]")  # XML turns these into a space in a value
_Window = tuple[int, bytes, bytes]


# Samples are built in the hot loop without the frozen dataclass __init__ (which goes through
# object.__setattr__ once per field): the slot descriptors' own __set__ gives the same frozen,
# slotted object about twice as fast.
def _slot_setter(name: str) -> Callable[[object, object], None]:
    return cast(Callable[[object, object], None], vars(Sample)[name].__set__)


_SET_KIND, _SET_TIME, _SET_VALUE = _slot_setter("kind"), _slot_setter("time"), _slot_setter("value")
_SET_SOURCE, _SET_NAME = _slot_setter("source"), _slot_setter("source_name")
_new = object.__new__


class RecordBuilder(Protocol):
    """What a target needs of the importer: its ignored counts and the non-sample records."""

    ignored: Counter[str]

    def record_of(self, elem: Any, type_: str | None) -> Record | None:
        """The record of a kept top-level element (sleep, mindful, workout), or None."""
        ...


class Element:
    """A top-level element kept until its end tag, or one of its children that matter.

    Offers what the record builders use of an lxml element: ``tag``, ``get`` and
    ``iterchildren(tag)``. ``window`` is the text around its start tag (:func:`locate_offset`).
    """

    __slots__ = ("attrib", "children", "get", "tag", "window")

    def __init__(self, tag: str, attrib: Any, window: _Window = (0, b"", b"")) -> None:
        self.tag = tag
        self.attrib = attrib
        self.get = attrib.get
        self.children: list[Element] = []
        self.window = window

    def iterchildren(self, tag: str) -> list[Element]:
        """The kept children named ``tag``, in document order."""
        return [child for child in self.children if child.tag == tag]


class BadRecordError(Exception):
    """A record that cannot be read, raised inside the parser target; carries the record."""

    def __init__(self, element: Element, error: Exception) -> None:
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


class DoctypeError(Exception):
    """A document type declaration reached the parser (see :meth:`Target.doctype`)."""


class Target(Generic[_T]):
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

    def __init__(self, parser: RecordBuilder) -> None:
        self.parser = parser
        self.opened = 0
        self.ended: list[str] = []
        self.end = self.ended.append
        self.root_tag: str | None = None
        self.current: Element | None = None
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
                current.children.append(Element(tag, attrib))
        elif depth == 0:
            self.root_tag = tag

    def begin(self, tag: str, attrib: Any, type_: str | None) -> None:
        """A top-level element that is not a sample: keep it, count it as ignored or skip it."""
        if tag not in _TAG_SET:
            return  # ExportDate, Me …
        if type_ in (SLEEP_TYPE, MINDFUL_TYPE) or tag == "Workout":
            self.current = Element(tag, attrib, self.window)
        else:
            self.ignored[type_ or tag] += 1

    def build_current(self) -> None:
        """Turn the kept top-level element (its end tag has been read) into its record."""
        elem, self.current = self.current, None
        if elem is None:
            return
        try:
            record = self.parser.record_of(elem, elem.get("type"))
        except _RECORD_ERRORS as exc:
            raise BadRecordError(elem, exc) from None
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
        raise DoctypeError(name)

    def emit(self, record: Record) -> None:
        """Hand on a record that is not a sample."""
        raise NotImplementedError

    def finish(self) -> None:
        """The whole file was read without error."""
        self.build_current()

    def take(self) -> list[_T]:
        """What was built since the last call, in file order."""
        raise NotImplementedError


class RecordTarget(Target[Record]):
    """The output of :meth:`AppleHealthImporter.iter_records`: one record at a time."""

    def __init__(self, parser: RecordBuilder) -> None:
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
            raise BadRecordError(Element(tag, attrib, self.window), exc) from None
        self.out.append(sample)

    def emit(self, record: Record) -> None:
        """Hand on a record that is not a sample."""
        self.out.append(record)

    def take(self) -> list[Record]:
        """The records built since the last call."""
        out, self.out = self.out, []
        return out


class BatchTarget(Target[Batch]):
    """The output of :meth:`AppleHealthImporter.iter_batches`: samples as rows, in batches.

    A batch ends at ``size`` rows or after ``size // 8`` other records (each far larger than
    a row), so the stretch of an export that holds years of sleep stages never makes one
    huge batch.
    """

    def __init__(self, parser: RecordBuilder, size: int) -> None:
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
        """The hot path, as :meth:`RecordTarget.start` with a row instead of a Sample.

        Written out in both targets on purpose: a shared method call per element would cost
        about 2 % of a large import, whose critical path this is.
        """
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
            raise BadRecordError(Element(tag, attrib, self.window), exc) from None
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


def locate_offset(elem: Element) -> int | None:
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
