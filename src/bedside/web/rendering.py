"""Jinja2 templates (autoescaped) and the filters that turn service output into calm text."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

if TYPE_CHECKING:
    from bedside.services.sharing import Acting

TEMPLATES_DIR = Path(__file__).parent / "templates"
MINUS = "\N{MINUS SIGN}"
UNIT_NAMES = {"g": "grams", "mg": "milligrams", "capsules": "capsules"}

NAV = (
    ("/", "Tonight", "tonight"),
    ("/log", "Log", "log"),
    ("/diary", "Diary", "diary"),
    ("/history", "History", "history"),
    ("/insights", "Insights", "insights"),
    ("/experiments", "Experiments", "experiments"),
    ("/safety", "Safety", "safety"),
    ("/signals", "Signals", "signals"),
    ("/products", "Products", "products"),
    ("/report", "Report", "report"),
    ("/import", "Import", "import"),
    ("/settings", "Settings", "settings"),
)
NavItem = tuple[str, str, str]
#: Home of the accounts that keep no diary of their own (server mode).
STAFF_NAV: dict[str, tuple[NavItem, ...]] = {
    "clinician": (("/people", "People", "people"),),
    "researcher": (("/studies", "Studies", "studies"),),
}
#: The pages someone following a person under a grant reads (a manager also adjusts Settings).
ACTING_SECTIONS = frozenset(
    {"tonight", "history", "insights", "experiments", "safety", "signals", "report"}
)


def nav_for(role: str | None, acting: Acting | None) -> tuple[NavItem, ...]:
    """The main navigation for this account: a person's own pages, a clinician's People, a
    researcher's Studies, or, when following someone, the pages of theirs that can be read.
    """
    if acting is not None:
        sections = ACTING_SECTIONS | ({"settings"} if acting.access == "manager" else set())
        return tuple(item for item in NAV if item[2] in sections)
    return STAFF_NAV.get(role or "", NAV)


def clock(iso: str) -> str:
    """``2025-03-08T22:30:00-05:00`` → ``22:30``."""
    return iso[11:16]


def local_input(iso: str) -> str:
    """An ISO time as the value of a ``datetime-local`` input (``2025-03-08T22:30``)."""
    return iso[:16]


def night_name(night: date) -> str:
    """``2025-03-08`` → ``Sat 8 Mar 2025``."""
    return f"{night:%a} {night.day} {night:%b %Y}"


def short_night(night: date) -> str:
    """``2025-03-08`` → ``Sat 8 Mar``."""
    return f"{night:%a} {night.day} {night:%b}"


def duration(minutes: float | None) -> str:
    """Minutes as ``6 h 55 min`` (``45 min`` under an hour; empty when unknown)."""
    if minutes is None:
        return ""
    total = round(minutes)
    sign = MINUS if total < 0 else ""
    hours, rest = divmod(abs(total), 60)
    if hours == 0:
        return f"{sign}{rest} min"
    return f"{sign}{hours} h {rest:02d} min"


def relative_minutes(minutes: float) -> str:
    """Minutes from bedtime with a true minus sign: ``−65 min``, ``+10 min``, ``0 min``."""
    total = round(minutes)
    if total == 0:
        return "0 min"
    return f"{MINUS if total < 0 else '+'}{abs(total)} min"


#: ``code`` (reStructuredText) or `code` (Markdown) in docstrings shown on the API page.
_INLINE_CODE = re.compile(r"``(.+?)``|`([^`]+)`")


def inline_code(text: str) -> Markup:
    """Escape ``text`` and show its backtick-quoted names as ``<code>``, without the backticks."""
    out, last = [], 0
    for found in _INLINE_CODE.finditer(text):
        out.append(escape(text[last : found.start()]))
        out.append(Markup("<code>{}</code>").format(found.group(1) or found.group(2)))
        last = found.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def dose_to_bed(minutes: float) -> str:
    """A dose's distance from bedtime in words: ``dose 30 min before bed``."""
    total = round(minutes)
    if total == 0:
        return "dose at bedtime"
    return f"dose {abs(total)} min {'before' if total < 0 else 'after'} bed"


def number(value: float | None, digits: int = 0) -> str:
    """A number for people: rounded, trailing ``.0`` dropped (empty when unknown)."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def countdown(target: datetime, now: datetime) -> str:
    """``in 1 h 05 min`` / ``now`` / ``12 min ago`` (the page's script keeps it ticking)."""
    seconds = (target - now).total_seconds()
    minutes = int(abs(seconds) // 60)
    if minutes == 0:
        return "now"
    text = duration(minutes)
    return f"in {text}" if seconds > 0 else f"{text} ago"


def label(value: str) -> str:
    """``upper_back`` → ``Upper back``; ``7oh_concentrate`` → ``7-OH concentrate``."""
    text = value.replace("7oh", "7-OH").replace("_", " ")
    return text[:1].upper() + text[1:]


def choice_lists() -> dict[str, list[tuple[str, str]]]:
    """The fixed option lists the forms offer (units, reasons, muscle groups ...)."""
    from bedside.domain.dosing import DoseReason, DoseUnit, ProductForm
    from bedside.services.activity_schemas import IntakeKind
    from bedside.services.symptoms_schemas import MuscleGroup

    return {
        "units": [(u.value, UNIT_NAMES.get(u.value, u.value)) for u in DoseUnit],
        "reasons": [(r.value, label(r.value)) for r in DoseReason],
        "product_forms": [(p.value, label(p.value)) for p in ProductForm],
        "muscle_groups": [(m.value, label(m.value)) for m in MuscleGroup],
        "intake_kinds": [(k.value, label(k.value)) for k in IntakeKind],
        "scores": [(str(n), str(n)) for n in range(11)],
        "qualities": [
            ("1", "1 very poor"),
            ("2", "2 poor"),
            ("3", "3 fair"),
            ("4", "4 good"),
            ("5", "5 very good"),
        ],
        "rested_options": [
            ("1", "1 not at all"),
            ("2", "2 slightly"),
            ("3", "3 somewhat"),
            ("4", "4 well"),
            ("5", "5 very well"),
        ],
        "workout_kinds": [
            (k, k) for k in ("strength", "running", "cycling", "walking", "swimming", "yoga")
        ],
    }


def make_templates() -> Jinja2Templates:
    """The template set with autoescaping on for every template and strict undefineds.

    The templates ship with the package and do not change while the app runs, so each is
    compiled once per process (``auto_reload`` off: no file check on every page).
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        auto_reload=False,
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        clock=clock,
        local_input=local_input,
        night_name=night_name,
        short_night=short_night,
        duration=duration,
        rel=relative_minutes,
        dose_to_bed=dose_to_bed,
        code=inline_code,
        num=number,
        label=label,
    )
    env.globals["nav"] = NAV
    env.globals.update(choice_lists())
    return Jinja2Templates(env=env)


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    """Render ``template`` with the CSRF token and the active section in the context."""
    templates: Jinja2Templates = request.app.state.templates
    state = request.scope.get("state", {})
    full = {
        "server_mode": request.app.state.settings.server_mode,
        "signed_in": state.get("user_id") is not None,
        "role": state.get("role"),
        "nav": nav_for(state.get("role"), state.get("acting")),
        "acting": state.get("acting"),
        "following": state.get("acting") is not None,
        "csrf_token": request.scope.get("state", {}).get("csrf_token", ""),
        "section": context.get("section", ""),
        "title": context.get("title", "Bedside"),
        **context,
    }
    return templates.TemplateResponse(request, template, full, status_code=status)
