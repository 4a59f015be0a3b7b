"""The profile form shared by the first-run and Settings pages: parsing, saving, defaults."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from zoneinfo import available_timezones

from bedside.domain.errors import BedsideError, InputError
from bedside.domain.planning import DEFAULT_LEAD_MIN, DEFAULT_WIND_DOWN
from bedside.domain.timekeeping import zone
from bedside.services import profiles
from bedside.services.profiles_schemas import ProfileOut
from bedside.services.scope import Scope
from bedside.web.forms import FormValues, pick
from bedside.web.rendering import number

STEP_PREFIX = "wind_down."
CAP_FIELDS = ("cap_dose_g", "cap_day_g", "cap_days_week")
BLANK_STEP_ROWS = 2
FALLBACK_ZONE = "UTC"


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name, sorted (for the time zone suggestions)."""
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc")))


def server_zone(environ: dict[str, str] | None = None) -> str:
    """The computer's own IANA zone when it can be found (TZ, /etc/localtime), else UTC."""
    env = os.environ if environ is None else environ
    candidates = [env.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if name:
            try:
                return zone(name).key
            except InputError:
                continue
    return FALLBACK_ZONE


def first_run_values() -> FormValues:
    """First-run defaults: the computer's zone, 22:30, 60 min lead, the default wind-down."""
    data: dict[str, object] = {
        "timezone": server_zone(),
        "bedtime": profiles.DEFAULT_BEDTIME,
        "lead_min": DEFAULT_LEAD_MIN,
    }
    for i, (text, minutes) in enumerate(DEFAULT_WIND_DOWN):
        data[f"{STEP_PREFIX}{i}.text"] = text
        data[f"{STEP_PREFIX}{i}.minutes_before"] = minutes
    return FormValues.of(data)


def profile_values(profile: ProfileOut) -> FormValues:
    """A stored profile as form values."""
    data: dict[str, object] = {
        "timezone": profile.timezone,
        "region": profile.region,
        "bedtime": profile.bedtime,
        "lead_min": profile.lead_min,
        "cap_dose_g": number(profile.cap_dose_g, 3) or None,
        "cap_day_g": number(profile.cap_day_g, 3) or None,
        "cap_days_week": profile.cap_days_week,
        "medications": "\n".join(profile.medications),
        "conditions": "\n".join(profile.conditions),
    }
    for i, step in enumerate(profile.wind_down):
        data[f"{STEP_PREFIX}{i}.text"] = step.text
        data[f"{STEP_PREFIX}{i}.minutes_before"] = step.minutes_before
    return FormValues.of(data)


def step_rows(values: FormValues) -> list[int]:
    """Row numbers of the wind-down rows to show: those filled in plus two blank ones.

    Rows sent back blank are not counted, so a form shown again after an error keeps two
    blank rows rather than gaining two more each time.
    """
    given = sorted(
        {
            int(k.split(".", 1)[0])
            for k, value in values.with_prefix(STEP_PREFIX)
            if k.split(".", 1)[0].isdigit() and value.strip()
        }
    )
    start = (given[-1] + 1) if given else 0
    return given + list(range(start, start + BLANK_STEP_ROWS))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _steps(values: FormValues) -> tuple[list[dict[str, str]], list[int]]:
    """The kept wind-down steps and, for each, the form row it came from."""
    steps: list[dict[str, str]] = []
    rows: list[int] = []
    for row in step_rows(values):
        text = values.get(f"{STEP_PREFIX}{row}.text").strip()
        if not text or f"{STEP_PREFIX}{row}.remove" in values:
            continue
        minutes = values.get(f"{STEP_PREFIX}{row}.minutes_before").strip()
        if not minutes:
            raise InputError(
                f"{STEP_PREFIX}{row}.minutes_before", "give the minutes before bedtime (0-240)"
            )
        steps.append({"text": text, "minutes_before": minutes})
        rows.append(row)
    return steps, rows


def save_profile(scope: Scope, values: FormValues) -> ProfileOut:
    """Create or update the profile from the form; blank region or caps clear them."""
    data = pick(values, ("timezone", "region", "bedtime", "lead_min", *CAP_FIELDS))
    steps, rows = _steps(values)
    if any(values.with_prefix(STEP_PREFIX)):
        data["wind_down"] = steps
    for name in ("medications", "conditions"):
        if name in values:
            data[name] = _lines(values.get(name))
    if scope.profile is not None:
        profiles.clear_caps(scope)
        profiles.clear_region(scope)
    try:
        return profiles.set_profile(scope, data)
    except InputError as exc:
        raise _row_error(exc, rows) from None


def _row_error(exc: InputError, rows: list[int]) -> BedsideError:
    """Point an error about the n-th kept step at the form row it came from."""
    parts = exc.field.split(".")
    if parts[0] == "wind_down" and len(parts) > 1 and parts[1].isdigit():
        index = int(parts[1])
        if index < len(rows):
            return InputError(".".join(["wind_down", str(rows[index]), *parts[2:]]), exc.message)
    return exc
