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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
