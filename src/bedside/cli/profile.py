"""``bedside init`` and ``bedside profile show/set``."""

from __future__ import annotations

from typing import Annotated

import typer

from bedside.cli.context import scope, settings_of
from bedside.cli.output import print_json, print_table

profile_app = typer.Typer(help="Your time zone, region, bedtime, intake lead, caps, meds.")

Timezone = Annotated[str | None, typer.Option("--timezone", help="IANA zone, e.g. Europe/London.")]
Region = Annotated[str | None, typer.Option("--region", help="ISO 3166 code, e.g. US-TX or GB.")]
Bedtime = Annotated[str | None, typer.Option("--bedtime", help="Target bedtime, HH:MM.")]
Lead = Annotated[
    int | None, typer.Option("--lead", help="Minutes between intake and bedtime (default 60).")
]
CapDose = Annotated[float | None, typer.Option("--cap-dose", help="Your own cap per dose, grams.")]
CapDay = Annotated[float | None, typer.Option("--cap-day", help="Your own cap per 24 h, grams.")]
CapDays = Annotated[
    int | None, typer.Option("--cap-days-week", help="Your own cap on days of use per week.")
]
Meds = Annotated[
    list[str] | None,
    typer.Option("--med", help="A regular medication (repeat the option for several)."),
]
Conditions = Annotated[
    list[str] | None,
    typer.Option("--condition", help="A health condition (repeat the option for several)."),
]
Steps = Annotated[
    list[str] | None,
    typer.Option("--step", help="A wind-down step as MINUTES:TEXT, e.g. '45:Dim the lights'."),
]


def register(app: typer.Typer) -> None:
    """Add the commands to the root app."""
    app.command("init")(init)
    app.add_typer(profile_app, name="profile")


@profile_app.command("show")
def show(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show your profile."""
    from bedside.services.profiles import get_profile

    with scope(ctx) as s:
        profile = get_profile(s)
    if as_json:
        print_json(profile)
        return
    rows = [
        ("time zone", profile.timezone),
        ("region", profile.region or "not set"),
        ("target bedtime", profile.bedtime),
        ("intake lead", f"{profile.lead_min} min before bedtime"),
        ("cap per dose", _grams(profile.cap_dose_g)),
        ("cap per 24 h", _grams(profile.cap_day_g)),
        ("cap days per week", profile.cap_days_week if profile.cap_days_week is not None else "-"),
        ("medications", ", ".join(profile.medications) or "-"),
        ("conditions", ", ".join(profile.conditions) or "-"),
        ("wind-down", "; ".join(f"{w.minutes_before} min: {w.text}" for w in profile.wind_down)),
    ]
    print_table("Profile", ["", ""], rows)


def _grams(value: float | None) -> str:
    return "-" if value is None else f"{value:g} g"


@profile_app.command("set")
def set_(
    ctx: typer.Context,
    timezone: Timezone = None,
    region: Region = None,
    bedtime: Bedtime = None,
    lead: Lead = None,
    cap_dose: CapDose = None,
    cap_day: CapDay = None,
    cap_days_week: CapDays = None,
    med: Meds = None,
    condition: Conditions = None,
    step: Steps = None,
    clear_caps: Annotated[bool, typer.Option("--clear-caps", help="Remove your caps.")] = False,
    clear_meds: Annotated[
        bool, typer.Option("--clear-meds", help="Remove all medications.")
    ] = False,
    clear_conditions: Annotated[
        bool, typer.Option("--clear-conditions", help="Remove all conditions.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Create or change your profile (options not given stay as they are)."""
    from bedside.services import profiles

    changes = _changes(
        timezone, region, bedtime, lead, cap_dose, cap_day, cap_days_week, med, condition, step
    )
    if clear_meds:
        changes["medications"] = []
    if clear_conditions:
        changes["conditions"] = []
    with scope(ctx) as s:
        if clear_caps:
            profiles.clear_caps(s)
        result = profiles.set_profile(s, changes)
        check = None
        if not as_json and {"medications", "conditions", "region"} & changes.keys():
            from bedside.services.safety import safety_check

            check = safety_check(s)
    if as_json:
        print_json(result)
    else:
        typer.echo("Profile saved.")
    if check is not None:
        from bedside.cli.safety import print_profile_check

        typer.echo("What Bedside knows about your medications, conditions and region:")
        print_profile_check(check)


def _changes(
    timezone: str | None,
    region: str | None,
    bedtime: str | None,
    lead: int | None,
    cap_dose: float | None,
    cap_day: float | None,
    cap_days_week: int | None,
    med: list[str] | None,
    condition: list[str] | None,
    step: list[str] | None,
) -> dict[str, object]:
    values: dict[str, object] = {
        "timezone": timezone,
        "region": region,
        "bedtime": bedtime,
        "lead_min": lead,
        "cap_dose_g": cap_dose,
        "cap_day_g": cap_day,
        "cap_days_week": cap_days_week,
        "medications": med or None,
        "conditions": condition or None,
        "wind_down": [_step(s) for s in step] if step else None,
    }
    return {k: v for k, v in values.items() if v is not None}


def _step(text: str) -> dict[str, object]:
    from bedside.cli.output import fail

    minutes, sep, what = text.partition(":")
    if not sep or not minutes.strip().isdigit() or not what.strip():
        fail(f"--step: write MINUTES:TEXT, e.g. '45:Dim the lights' (got {text!r})")
    return {"minutes_before": int(minutes), "text": what.strip()}


def _guess_timezone() -> str:
    """The computer's IANA zone when it can be read, else UTC."""
    import os
    from pathlib import Path

    tz = os.environ.get("TZ", "").lstrip(":")
    if tz and "/" in tz:
        return tz
    link = Path("/etc/localtime")
    if link.is_symlink():
        target = str(link.resolve())
        if "zoneinfo/" in target:
            return target.split("zoneinfo/", 1)[1]
    return "UTC"


def init(
    ctx: typer.Context,
    timezone: Timezone = None,
    region: Region = None,
    bedtime: Bedtime = None,
    lead: Lead = None,
    cap_dose: CapDose = None,
    cap_day: CapDay = None,
    cap_days_week: CapDays = None,
    med: Meds = None,
    condition: Conditions = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Accept defaults without asking.")
    ] = False,
) -> None:
    """Guided first run: set up your profile (asks for what you did not give as options).

    Asks for regular medications and health conditions too (blank skips), then shows what
    Bedside finds for them right away.
    """
    from bedside.cli.output import fail
    from bedside.cli.safety import print_profile_check
    from bedside.services import profiles
    from bedside.services.safety import not_medical_advice, safety_check

    with scope(ctx) as s:
        current = s.profile
        defaults = {
            "timezone": current.timezone if current else _guess_timezone(),
            "region": (current.region or "") if current else "",
            "bedtime": current.bedtime if current else "22:30",
            "lead": str(current.lead_min) if current else "60",
        }
    ask = not yes
    timezone = timezone or _ask(ask, "Your time zone (IANA name)", defaults["timezone"])
    region = region or _ask(
        ask, "Your region, ISO 3166 code (e.g. US-TX, GB; blank to skip)", defaults["region"]
    )
    bedtime = bedtime or _ask(ask, "Target bedtime (HH:MM)", defaults["bedtime"])
    if lead is None:
        answer = _ask(ask, "Minutes between intake and bedtime", defaults["lead"])
        if not answer.isdigit():
            fail(f"--lead: write a whole number of minutes, e.g. 60 (got {answer!r})")
        lead = int(answer)
    if med is None:
        med = _names(_ask(ask, "Regular medications, comma-separated (blank to skip)", ""))
    if condition is None:
        condition = _names(_ask(ask, "Health conditions, comma-separated (blank to skip)", ""))
    changes = _changes(
        timezone, region or None, bedtime, lead, cap_dose, cap_day, cap_days_week, med, condition,
        None,
    )  # fmt: skip
    with scope(ctx) as s:
        result = profiles.set_profile(s, changes)
        check = safety_check(s)
    typer.echo(
        f"Profile saved (time zone {result.timezone}, bedtime {result.bedtime}, intake "
        f"{result.lead_min} min before).\nYour data: {settings_of(ctx).display_url}"
    )
    typer.echo("")
    typer.echo("What Bedside finds for your medications, conditions and region:")
    print_profile_check(check, details=False, more="bedside check --details")
    typer.echo("")
    typer.echo(not_medical_advice(result.medications))
    typer.echo("")
    typer.echo("Next: `bedside product add`, `bedside dose add`, `bedside plan tonight`.")


def _names(text: str) -> list[str]:
    """Names typed on one line, separated by commas or semicolons; blanks dropped."""
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _ask(interactive: bool, question: str, default: str) -> str:
    if not interactive:
        return default
    answer: str = typer.prompt(question, default=default, show_default=bool(default))
    return answer.strip()
