"""Finding the importer for a source name or a file.

Source names (``bedside import SOURCE FILE``): ``apple-health``, ``fitbit``, ``oura``,
``garmin``, ``withings``, ``sleep-as-android``, ``plees``, ``sleepmeter``, ``csv``.
:func:`detect_importer` asks each importer's ``sniff`` in that order, the generic CSV last,
so a file is given to the most specific reader that recognises it.

``zone`` is the IANA zone the person was in, used by sources that write local times without
an offset (Fitbit requires it; Plees and the generic CSV attach it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bedside.importers.apple import AppleHealthImporter
from bedside.importers.base import Importer, ImportFileError
from bedside.importers.fitbit import FitbitImporter
from bedside.importers.garmin import GarminImporter
from bedside.importers.generic_csv import GenericCsvImporter
from bedside.importers.oura import OuraImporter
from bedside.importers.plees import PleesImporter
from bedside.importers.sleep_as_android import SleepAsAndroidImporter
from bedside.importers.sleepmeter import SleepmeterImporter
from bedside.importers.withings import WithingsImporter

_FACTORIES: dict[str, Callable[[str | None], Importer]] = {
    "apple-health": lambda zone: AppleHealthImporter(),
    "fitbit": FitbitImporter,
    "oura": OuraImporter,
    "garmin": GarminImporter,
    "withings": WithingsImporter,
    "sleep-as-android": SleepAsAndroidImporter,
    "plees": PleesImporter,
    "sleepmeter": SleepmeterImporter,
    "csv": GenericCsvImporter,
}
SOURCE_NAMES: tuple[str, ...] = tuple(_FACTORIES)


def get_importer(name: str, *, zone: str | None = None) -> Importer:
    """The importer called ``name``; :class:`KeyError` with the valid names otherwise."""
    try:
        factory = _FACTORIES[name]
    except KeyError:
        raise KeyError(f"unknown source {name!r}; use one of {', '.join(SOURCE_NAMES)}") from None
    return factory(zone)


def detect_importer(path: Path, *, zone: str | None = None) -> Importer:
    """The first importer whose ``sniff`` recognises ``path``, or :class:`ImportFileError`."""
    if not path.exists():
        raise ImportFileError(path, "no such file or folder")
    for name in SOURCE_NAMES:
        importer = get_importer(name, zone=zone)
        if importer.sniff(path):
            return importer
    raise ImportFileError(
        path, f"not a file Bedside can import; name the source, one of {', '.join(SOURCE_NAMES)}"
    )
