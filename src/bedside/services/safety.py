"""Safety checks over the person's own data: profile, legal status, pre-dose, signals.

The rules live in :mod:`bedside.safety` (pure functions over plain inputs); this module only
gathers the inputs from storage with a bounded number of queries and hands them over.
Nothing here blocks logging: findings inform, the person decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import select

from bedside.domain.errors import InputError
from bedside.domain.planning import bedtime_on
from bedside.domain.timekeeping import night_of, parse_clock
from bedside.safety.findings import Finding, sort_findings
from bedside.safety.predose import (
    AFTER_BEDTIME_WINDOW,
    SECOND_DOSE_ID,
    BatchLab,
    Caps,
    PlannedDose,
    PreDoseCheck,
    PreDoseContext,
    ProductForm,
    check_predose,
)
from bedside.services.finding_schema import FindingOut
from bedside.services.predose_history import history_for
from bedside.services.scope import Scope
from bedside.storage.models import Batch, Dose, Product

if TYPE_CHECKING:
    # The profile check, the legal lookup, their result schemas and the acknowledgement row
    # load where they are used: logging a dose runs only the pre-dose check.
    from bedside.safety.legal import LegalStatus
    from bedside.safety.profile import ProfileCheck
    from bedside.services.safety_schemas import (
        LegalStatusOut,
        SafetyCheckOut,
        SafetyOverviewOut,
    )
    from bedside.storage.safety_records import FindingAcknowledgement

R = TypeVar("R", Product, Batch)
NO_AMOUNT_NOTES = frozenset({"predose.cap.per-dose-unknown", "predose.cap.per-day-unknown"})
#: Findings below ``avoid`` that still ask to be read before a dose is saved.
ACKNOWLEDGED_IDS = frozenset({SECOND_DOSE_ID})


def today_of(scope: Scope) -> date:
    """The person's local calendar date now (for record staleness)."""
    return scope.now.astimezone(scope.tz).date() if scope.profile else scope.now.date()


def profile_check(
    scope: Scope,
    medications: Sequence[str] | None = None,
    conditions: Sequence[str] | None = None,
    region: str | None = None,
) -> ProfileCheck:
    """Check medications, conditions and region; what is not given comes from the profile."""
    from bedside.safety.legal import UnknownRegionError
    from bedside.safety.profile import check_profile

    profile = scope.profile
    meds = list(medications) if medications else list(profile.medications if profile else [])
    conds = list(conditions) if conditions else list(profile.conditions if profile else [])
    where = region or (profile.region if profile else None)
    try:
        return check_profile(meds, conds, where, today_of(scope))
    except UnknownRegionError as exc:
        raise InputError("region", str(exc)) from None


def safety_check(
    scope: Scope,
    medications: Sequence[str] | None = None,
    conditions: Sequence[str] | None = None,
    region: str | None = None,
) -> SafetyCheckOut:
    """:func:`profile_check` as a typed result (what the API and the pages render)."""
    from bedside.services.safety_schemas import SafetyCheckOut

    check = profile_check(scope, medications, conditions, region)
    return SafetyCheckOut.model_validate(check, from_attributes=True)


def legal_lookup(scope: Scope, code: str) -> LegalStatusOut:
    """Legal status for ``code`` on the person's today, as a typed result."""
    return legal_on(code, today_of(scope))


def legal_on(code: str, today: date) -> LegalStatusOut:
    """Legal status for ``code`` judged on ``today`` (no profile needed), as a typed result."""
    from bedside.services.safety_schemas import LegalStatusOut

    return LegalStatusOut.model_validate(legal_status(code, today), from_attributes=True)


def safety_overview(
    scope: Scope,
    medications: Sequence[str] = (),
    conditions: Sequence[str] = (),
    region: str | None = None,
    code: str | None = None,
) -> SafetyOverviewOut:
    """The Safety screen in one call: the profile check, and when asked an ad hoc check
    (empty inputs use the profile's) and a legal lookup. An unknown region or code is not
    raised but kept in ``problems`` beside its field, so the rest of the screen still shows.
    """
    from bedside.services.safety_schemas import SafetyOverviewOut

    profile = scope.require_profile()
    out = SafetyOverviewOut(
        medications=list(profile.medications),
        conditions=list(profile.conditions),
        region=profile.region,
        advice=not_medical_advice(profile.medications),
        mine=safety_check(scope),
    )
    if medications or conditions or region:
        try:
            out.adhoc = safety_check(scope, medications, conditions, region)
        except InputError as exc:
            out.problems[exc.field] = exc.message
    if code and code.strip():
        try:
            out.legal = legal_lookup(scope, code)
        except InputError as exc:
            out.problems[exc.field] = exc.message
    return out


def findings_out(findings: Sequence[Finding]) -> list[FindingOut]:
    """Findings of the safety rules as typed results, in the order given."""
    return [FindingOut.model_validate(f, from_attributes=True) for f in findings]


def not_medical_advice(medications: Sequence[str] = ()) -> str:
    """The one plain sentence shown at set-up: not medical advice, who to talk to."""
    named = [m.strip() for m in medications if m.strip()]
    if not named:
        return (
            "Bedside is not medical advice. Talk to your clinician or pharmacist about kratom, "
            "especially if you take any medicines."
        )
    return (
        "Bedside is not medical advice. Talk to your clinician or pharmacist about kratom, "
        f"especially with the medicines you named: {', '.join(named)}."
    )


def legal_status(code: str, today: date) -> LegalStatus:
    """Legal status for an ISO 3166 code or locality id (an unknown code is an InputError)."""
    from bedside.safety.legal import UnknownRegionError, lookup_legal

    try:
        return lookup_legal(code, today)
    except UnknownRegionError as exc:
        raise InputError("code", str(exc)) from None


def predose_check(
    scope: Scope,
    at: datetime,
    grams: float | None,
    product_id: int | None,
    batch_id: int | None,
    exclude_dose_id: int | None = None,
) -> PreDoseCheck:
    """The pre-dose check for a dose at ``at`` (already logged ones are excluded by id).

    Within :func:`~bedside.services.predose_history.shared_history` (Tonight runs two checks)
    the rows it looks back on are read once for all the checks.
    """
    profile = scope.require_profile()
    history = history_for(scope)
    product = _mine(scope, scope.session.get(Product, product_id)) if product_id else None
    batch = _mine(scope, scope.session.get(Batch, batch_id)) if batch_id else None
    context = PreDoseContext(
        dose=PlannedDose(
            at=at,
            grams=grams,
            form=ProductForm(product.form) if product else None,
            batch=_batch_lab(scope, batch),
        ),
        timezone=profile.timezone,
        recent_doses=history.recent_doses(at, exclude_dose_id),
        alcohol=history.alcohol(at),
        medications=history.medications(at),
        caps=Caps(profile.cap_dose_g, profile.cap_day_g, profile.cap_days_week),
        bedtime=_bedtime_for(scope, at),
        lead_minutes=profile.lead_min,
        regular_medications=list(profile.medications),
        conditions=list(profile.conditions),
    )
    return check_predose(context, today_of(scope))


def _mine(scope: Scope, row: R | None) -> R | None:
    """``row`` if it is the person's (another person's product never informs a check)."""
    return row if row is not None and getattr(row, "user_id", None) == scope.user.id else None


def _bedtime_for(scope: Scope, at: datetime) -> datetime:
    """The bedtime a dose at ``at`` leads up to.

    Nights run from noon to noon, so a morning dose belongs to last night; once it is more
    than :data:`AFTER_BEDTIME_WINDOW` past last night's bedtime it is a daytime dose, and the
    bedtime that matters is tonight's.
    """
    target = parse_clock(scope.require_profile().bedtime)
    night = night_of(at, scope.tz)
    bedtime = bedtime_on(night, target, scope.tz)
    if at - bedtime > AFTER_BEDTIME_WINDOW:
        bedtime = bedtime_on(night + timedelta(days=1), target, scope.tz)
    return bedtime


def _batch_lab(scope: Scope, batch: Batch | None) -> BatchLab | None:
    if batch is None:
        return None
    previous = scope.session.scalars(
        select(Batch)
        .where(
            Batch.user_id == scope.user.id,
            Batch.product_id == batch.product_id,
            Batch.id < batch.id,
        )
        .order_by(Batch.id.desc())
        .limit(1)
    ).first()
    return BatchLab(
        mitragynine_pct=batch.mitragynine_pct,
        seven_oh_pct=batch.seven_oh_pct,
        contaminants_passed=batch.contaminants_passed,
        previous_mitragynine_pct=previous.mitragynine_pct if previous else None,
        previous_seven_oh_pct=previous.seven_oh_pct if previous else None,
    )


def tonight_findings(scope: Scope, intake_time: datetime) -> list[Finding]:
    """Findings for a night's plan: the profile check plus a pre-dose check at intake time.

    The check runs at the planned intake time, or now when that time has passed on tonight's
    plan (the dose would be taken now); a past night's plan is checked at its own intake time.
    The planned dose uses the product and batch of the last dose before then (the one a
    person is most likely to take again); its amount is unknown, so no cap is judged on it and
    the notes saying so (meant for a dose logged without an amount) are left out.
    """
    tonight = night_of(intake_time, scope.tz) >= scope.tonight()
    at = max(intake_time, scope.now) if tonight else intake_time
    last = scope.session.execute(
        select(Dose.product_id, Dose.batch_id)
        .where(Dose.user_id == scope.user.id, Dose.taken_at <= at)
        .order_by(Dose.taken_at.desc())
        .limit(1)
    ).first()
    product_id, batch_id = (last.product_id, last.batch_id) if last else (None, None)
    predose = predose_check(scope, at, None, product_id, batch_id)
    profile = profile_check(scope)
    planned = [f for f in predose.findings if f.id not in NO_AMOUNT_NOTES]
    return unique_findings([*profile.findings, *planned])


def unique_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Findings without repeats (same id), most severe first."""
    seen: dict[str, Finding] = {}
    for finding in findings:
        seen.setdefault(finding.id, finding)
    return list(sort_findings(list(seen.values())))


def acknowledge(
    scope: Scope, findings: Sequence[Finding], dose_id: int | None, context: str
) -> FindingAcknowledgement | None:
    """Record that the person read the findings that ask for it and chose to log the dose."""
    serious = [f for f in findings if asks_acknowledgement(f)]
    if not serious:
        return None
    from bedside.storage.safety_records import FindingAcknowledgement

    record = FindingAcknowledgement(
        user_id=scope.user.id,
        dose_id=dose_id,
        finding_ids=[f.id for f in serious],
        severity=max((f.severity for f in serious), key=lambda s: s.rank).value,
        context=context,
        acknowledged_at=scope.now,
    )
    scope.session.add(record)
    scope.session.flush()
    return record


def asks_acknowledgement(finding: Finding) -> bool:
    """True for ``avoid`` findings and for a second dose soon after the first."""
    return finding.severity.value == "avoid" or finding.id in ACKNOWLEDGED_IDS


def needs_acknowledgement(findings: Sequence[Finding]) -> bool:
    """True when a finding asks to be read before the dose is saved (the web form holds it)."""
    return any(asks_acknowledgement(f) for f in findings)
