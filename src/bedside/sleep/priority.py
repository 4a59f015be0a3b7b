"""Which source to believe when several recorded the same minutes of sleep.

Every (importer, source name, device) is put in a *device class*; classes are ranked by a
configurable priority list. The default, best first:

    apple_watch > oura > garmin > fitbit > withings > phone_app > iphone > other

* ``apple_watch``: Apple Health records whose source name or device mentions a watch, and
  generic CSV rows whose ``source`` does (see ``GENERIC_CSV.md``);
* ``oura`` / ``garmin`` / ``fitbit`` / ``withings``: their own importers, or their apps writing
  into Apple Health (source name "Oura", "Garmin Connect", "Fitbit", "Health Mate"/"Withings");
* ``phone_app``: sleep apps on a phone (Sleep as Android, Plees Tracker, Sleepmeter, and
  third-party apps writing into Apple Health such as AutoSleep or Sleep Cycle);
* ``iphone``: the iPhone's own ``InBed``/``Asleep`` records (bedtime schedule, not sensing);
* ``other``: anything else (e.g. a generic CSV with no recognisable source).

Extra rules ``(regex, class)`` are tried first, against ``"source_name | device"``, so a
person can say e.g. ``("AutoSleep", "apple_watch")``.

**Where the priority applies.** It is the third tie-break of
:mod:`bedside.sleep.nights`: for each stretch of time, a piece that says asleep or awake
beats one that only says "in bed", and a source with stage detail (core/deep/REM) in the
session beats one without, *before* the priority is consulted. So putting ``iphone`` first
changes the nights where the Watch recorded no stages (or only "in bed"), not the nights the
Watch staged; between two staged sources (say an Oura ring and a Watch) the priority decides.

**Setting it.** A person's order is stored in their profile (``profiles.sleep_priority``, the
ordered class names; ``NULL`` means the default) and every wearable night is rebuilt with it:

* ``bedside sleep priority`` shows it (``--json`` too); ``bedside sleep priority set oura
  apple_watch`` stores it and rebuilds the nights; ``bedside sleep priority reset`` returns to
  the default;
* the Settings page has one choice per rank; the API has ``GET``/``PUT /api/v1/sleep/priority``
  (``{"order": ["oura", "apple_watch"]}``; ``null`` or ``[]`` resets).

A person may name only the classes they care about: :func:`complete_order` puts the classes
left out after the ones given, in the default order (``oura`` alone means
``oura > apple_watch > garmin > ...``). Names are case-insensitive and ``-`` may stand for
``_``; an unknown class or one given twice is refused, naming it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bedside.domain.errors import InputError

DEVICE_CLASSES: tuple[str, ...] = (
    "apple_watch",
    "oura",
    "garmin",
    "fitbit",
    "withings",
    "phone_app",
    "iphone",
    "other",
)
DEFAULT_PRIORITY: tuple[str, ...] = DEVICE_CLASSES
#: What each class means, for people choosing an order.
DEVICE_CLASS_LABELS: dict[str, str] = {
    "apple_watch": "Apple Watch",
    "oura": "Oura ring",
    "garmin": "Garmin",
    "fitbit": "Fitbit",
    "withings": "Withings",
    "phone_app": "Sleep apps on a phone (Sleep as Android, AutoSleep, ...)",
    "iphone": "iPhone bedtime schedule (InBed/Asleep)",
    "other": "Anything else (e.g. a CSV with no recognisable source)",
}
#: The field that priority errors name: ``order`` or ``order.N`` (N counts from 0).
ORDER_FIELD = "order"
_SEPARATORS = re.compile(r"[\s,>]+")
_BY_NAME: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\boura\b", re.IGNORECASE), "oura"),
    (re.compile(r"garmin", re.IGNORECASE), "garmin"),
    (re.compile(r"fitbit", re.IGNORECASE), "fitbit"),
    (re.compile(r"withings|health ?mate", re.IGNORECASE), "withings"),
)
_BY_IMPORTER = {
    "oura": "oura",
    "garmin": "garmin",
    "fitbit": "fitbit",
    "withings": "withings",
    "sleep-as-android": "phone_app",
    "plees": "phone_app",
    "sleepmeter": "phone_app",
}
_WATCH = re.compile(r"watch", re.IGNORECASE)
_PHONE = re.compile(r"iphone|ipad", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SourcePriority:
    """The ranking used to resolve overlapping sources (see the module docstring)."""

    order: tuple[str, ...] = DEFAULT_PRIORITY
    rules: tuple[tuple[str, str], ...] = ()

    def device_class(self, source: str, source_name: str, device: str | None = None) -> str:
        """Classify one source (importer name, source name as written, optional device)."""
        text = " ".join(f"{source_name} | {device or ''}".split())  # folds NBSPs too
        for pattern, klass in self.rules:
            if re.search(pattern, text, re.IGNORECASE):
                return klass
        for regex, klass in _BY_NAME:
            if regex.search(text):
                return klass
        if source in _BY_IMPORTER:
            return _BY_IMPORTER[source]
        if source == "csv":
            return "apple_watch" if _WATCH.search(text) else "other"
        if source == "apple-health":
            if _WATCH.search(text):
                return "apple_watch"
            if _PHONE.search(text) or source_name.strip() == "Health":
                return "iphone"
            return "phone_app"
        return "other"

    def rank(self, klass: str) -> int:
        """Position of ``klass`` in :attr:`order` (0 is best; unknown classes come last)."""
        try:
            return self.order.index(klass)
        except ValueError:
            return len(self.order)


def split_order(text: str) -> list[str]:
    """``"oura > apple_watch"``, ``"oura, apple_watch"`` or ``"oura apple_watch"`` → names."""
    return [part for part in _SEPARATORS.split(text) if part]


def complete_order(classes: Iterable[str]) -> tuple[str, ...]:
    """The full ranking a person asked for: ``classes`` first, then the rest in default order.

    Names are case-insensitive and may use ``-`` for ``_``. An unknown class or one given
    twice raises :class:`InputError` on field ``order.N`` (N the position, from 0), naming it.
    """
    given: list[str] = []
    for index, raw in enumerate(classes):
        name = raw.strip().lower().replace("-", "_")
        where = f"{ORDER_FIELD}.{index}"
        if name not in DEVICE_CLASSES:
            raise InputError(
                where,
                f"{raw.strip()!r} is not a device class; use one of {', '.join(DEVICE_CLASSES)}",
            )
        if name in given:
            raise InputError(where, f"{name!r} is given twice; name each device class once")
        given.append(name)
    return (*given, *(name for name in DEFAULT_PRIORITY if name not in given))


def stored_priority(order: Iterable[object] | None) -> SourcePriority:
    """The priority for a stored order (``None`` → the default); unknown names are skipped."""
    if not order:
        return SourcePriority()
    known: list[str] = []
    for name in order:
        if isinstance(name, str) and name in DEVICE_CLASSES and name not in known:
            known.append(name)
    return SourcePriority(order=complete_order(known))
