"""Profile: time zone, region, target bedtime, lead, wind-down steps, caps, meds, conditions."""

from __future__ import annotations

from collections.abc import Mapping

from bedside.domain.errors import ForbiddenError, InputError
from bedside.domain.planning import DEFAULT_LEAD_MIN, default_wind_down
from bedside.domain.timekeeping import place_zone
from bedside.services.profiles_schemas import ProfileIn, ProfileOut, WindDownStepOut
from bedside.services.scope import Scope, validated
from bedside.storage.models import Profile

DEFAULT_BEDTIME = "22:30"


def get_profile(scope: Scope) -> ProfileOut:
    """The person's profile (an error when none was set up)."""
    return profile_out(scope.require_profile())


def set_profile(scope: Scope, data: ProfileIn | Mapping[str, object]) -> ProfileOut:
    """Create or update the profile; fields left ``None`` keep their value."""
    changes = validated(ProfileIn, data)
    profile = scope.profile
    if scope.access == "manager":
        _only_the_plan(profile, changes)
    if profile is None:
        if changes.timezone is None:
            raise InputError("timezone", "a new profile needs a time zone, e.g. Europe/London")
        profile = Profile(
            user_id=scope.user.id,
            timezone=changes.timezone,
            bedtime=DEFAULT_BEDTIME,
            lead_min=DEFAULT_LEAD_MIN,
            wind_down=[
                {"text": s.text, "minutes_before": s.minutes_before} for s in default_wind_down()
            ],
            medications=[],
            conditions=[],
        )
        scope.session.add(profile)
    _apply(profile, changes)
    scope.session.flush()
    return profile_out(profile)


def _apply(profile: Profile, changes: ProfileIn) -> None:
    if changes.timezone is not None:
        profile.timezone = place_zone(changes.timezone).key
    for name in ("region", "bedtime", "lead_min", "cap_dose_g", "cap_day_g", "cap_days_week"):
        value = getattr(changes, name)
        if value is not None:
            setattr(profile, name, value)
    if changes.wind_down is not None:
        profile.wind_down = [step.model_dump() for step in changes.wind_down]
    if changes.medications is not None:
        profile.medications = _unique(changes.medications)
    if changes.conditions is not None:
        profile.conditions = _unique(changes.conditions)


def clear_caps(scope: Scope) -> ProfileOut:
    """Remove the person's caps."""
    profile = scope.require_profile()
    profile.cap_dose_g = profile.cap_day_g = profile.cap_days_week = None
    return profile_out(profile)


def clear_region(scope: Scope) -> ProfileOut:
    """Forget the person's region (a clinician managing the plan leaves it as it is)."""
    profile = scope.require_profile()
    if scope.access != "manager":
        profile.region = None
    return profile_out(profile)


def _only_the_plan(profile: Profile | None, changes: ProfileIn) -> None:
    """A manager may change the plan, caps and wind-down, never the rest of the profile."""
    if profile is None:
        raise ForbiddenError("only the person can set up their profile")
    changed = [
        name
        for name, new, old in (
            ("time zone", changes.timezone and place_zone(changes.timezone).key, profile.timezone),
            ("region", changes.region, profile.region),
            ("medications", changes.medications and _unique(changes.medications), None),
            ("conditions", changes.conditions and _unique(changes.conditions), None),
        )
        if new is not None and new != (old if old is not None else getattr(profile, name))
    ]
    if changed:
        raise ForbiddenError(
            f"as a manager you may change the plan, caps and wind-down, not the {changed[0]}"
        )


def _unique(items: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return list(seen.values())


def profile_out(profile: Profile) -> ProfileOut:
    """The output shape of a stored profile."""
    return ProfileOut(
        timezone=profile.timezone,
        region=profile.region,
        bedtime=profile.bedtime,
        lead_min=profile.lead_min,
        wind_down=[WindDownStepOut(**step) for step in profile.wind_down],
        cap_dose_g=profile.cap_dose_g,
        cap_day_g=profile.cap_day_g,
        cap_days_week=profile.cap_days_week,
        medications=list(profile.medications),
        conditions=list(profile.conditions),
    )
