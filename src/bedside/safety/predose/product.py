"""Pre-dose rules about the product and its lab batch.

* Form ``7oh_concentrate``: ``avoid`` (concentrated 7-OH acts as a strong opioid).
* Form ``extract``: ``caution``; extracts can hold more than ten times a leaf's mitragynine
  per gram (``product-variability``).
* A batch 7-OH result at or above :data:`SEVEN_OH_CONCENTRATE_PCT` (0.04% w/w = 400 ppm, the
  level Florida's rule uses for concentrated 7-OH; research leaf measured under 0.0124%) is
  treated as a concentrated product: ``avoid``.
* A failed contaminant panel: ``avoid`` (Salmonella outbreak, heavy metals). No panel result
  for a batch with lab info: ``info``.
* Alkaloid content "markedly" different from the previous batch of the same product means a
  relative difference of at least :data:`BATCH_SHIFT_THRESHOLD` (25%) in mitragynine or 7-OH:
  higher gives ``caution`` (the same grams now deliver at least a quarter more), lower gives
  ``info``. 25% is our choice: the size of change a person would notice if they took a
  quarter more, well outside rounding on a certificate of analysis.
"""

from __future__ import annotations

from datetime import date

from bedside.knowledge import load_knowledge
from bedside.safety.findings import Finding, Severity, make_finding
from bedside.safety.predose.context import BatchLab, PreDoseContext, ProductForm

__all__ = [
    "BATCH_SHIFT_THRESHOLD",
    "SEVEN_OH_CONCENTRATE_PCT",
    "batch_findings",
    "form_findings",
    "relative_change",
]

SEVEN_OH_CONCENTRATE_PCT = 0.04
BATCH_SHIFT_THRESHOLD = 0.25
_EPSILON = 1e-9


def _concentrate_finding(reason: str, today: date) -> Finding:
    knowledge = load_knowledge()
    return make_finding(
        id="predose.seven-oh-concentrate",
        severity=Severity.AVOID,
        title="Concentrated 7-OH product",
        summary=f"{reason} {knowledge.interaction('concentrated-7-oh').summary}",
        action=knowledge.interaction("concentrated-7-oh").action,
        records=[
            knowledge.interaction("concentrated-7-oh"),
            knowledge.fact("seven-oh-concentrates"),
            knowledge.fact("leaf-alkaloid-content"),
        ],
        today=today,
        caveat_records=[knowledge.interaction("concentrated-7-oh")],
    )


def form_findings(ctx: PreDoseContext, today: date) -> list[Finding]:
    """Findings for 7-OH concentrates and extracts."""
    form = ctx.dose.form
    if form is ProductForm.SEVEN_OH_CONCENTRATE:
        return [_concentrate_finding("This product is a 7-OH concentrate.", today)]
    if form is not ProductForm.EXTRACT:
        return []
    knowledge = load_knowledge()
    return [
        make_finding(
            id="predose.extract",
            severity=Severity.CAUTION,
            title="Extract, not leaf",
            summary="This product is an extract. Commercial products have ranged from about 14 "
            "to 270 mg of mitragynine per gram, with extracts at the top, so a gram of extract "
            "can hold many times what a gram of leaf does. Moving to extracts or 7-OH "
            "products is one of the changes linked to escalating use.",
            action="Go by the lab result for this batch rather than by grams you are used to "
            "with leaf, and avoid combining it with anything sedating.",
            records=[knowledge.fact("product-variability"), knowledge.fact("dependence-frequency")],
            today=today,
        )
    ]


def relative_change(new: float, previous: float) -> float | None:
    """(new - previous) / previous; None when previous is 0 and new is 0 too."""
    if previous <= 0:
        return None if new <= 0 else float("inf")
    return (new - previous) / previous


def _shift_finding(name: str, new: float, previous: float, today: date) -> Finding | None:
    change = relative_change(new, previous)
    if change is None or abs(change) < BATCH_SHIFT_THRESHOLD - _EPSILON:
        return None
    higher = change > 0
    direction = "more" if higher else "less"
    if change == float("inf"):
        summary = f"This batch tests at {new:g}% {name}; the previous batch showed none."
    else:
        summary = (
            f"This batch tests at {new:g}% {name}, against {previous:g}% for the previous "
            f"batch of the same product: about {abs(change):.0%} {direction} per gram."
        )
    summary += " Products vary a lot and labels can be wrong, so the same grams may feel different."
    knowledge = load_knowledge()
    return make_finding(
        id=f"predose.batch-shift.{'seven-oh' if name == '7-OH' else 'mitragynine'}",
        severity=Severity.CAUTION if higher else Severity.INFO,
        title=f"This batch has {direction} {name} than the last one",
        summary=summary,
        action="Bear in mind that the same amount of this batch contains "
        f"{'more' if higher else 'less'} {name} than you are used to.",
        records=[knowledge.fact("product-variability")],
        today=today,
    )


def _shifts(batch: BatchLab, today: date) -> list[Finding]:
    pairs = [
        ("mitragynine", batch.mitragynine_pct, batch.previous_mitragynine_pct),
        ("7-OH", batch.seven_oh_pct, batch.previous_seven_oh_pct),
    ]
    found = [
        _shift_finding(name, new, previous, today)
        for name, new, previous in pairs
        if new is not None and previous is not None
    ]
    return [f for f in found if f is not None]


def _contaminants(batch: BatchLab, today: date) -> list[Finding]:
    record = load_knowledge().fact("contamination")
    if batch.contaminants_passed is None:
        return [
            make_finding(
                id="predose.contaminants-unknown",
                severity=Severity.INFO,
                title="No contaminant test on record for this batch",
                summary="There is no contaminant result (microbes, heavy metals) logged for "
                f"this batch. {record.summary}",
                action="If the seller publishes a certificate of analysis, you can add its "
                "contaminant results to the batch.",
                records=[record],
                today=today,
            )
        ]
    if batch.contaminants_passed:
        return []
    return [
        make_finding(
            id="predose.contaminants-failed",
            severity=Severity.AVOID,
            title="This batch failed its contaminant test",
            summary=f"The lab result logged for this batch failed its contaminant panel. "
            f"{record.summary}",
            action="Don't use this batch. Keep the packaging and lot number in case you want "
            "to report it to the seller or your local health authority.",
            records=[record],
            today=today,
        )
    ]


def batch_findings(ctx: PreDoseContext, today: date) -> list[Finding]:
    """Findings from the batch's lab results (7-OH level, contaminants, change vs last)."""
    batch = ctx.dose.batch
    if batch is None:
        return []
    findings = _contaminants(batch, today)
    seven_oh = batch.seven_oh_pct
    is_concentrate = ctx.dose.form is ProductForm.SEVEN_OH_CONCENTRATE
    if (
        seven_oh is not None
        and seven_oh >= SEVEN_OH_CONCENTRATE_PCT - _EPSILON
        and not is_concentrate
    ):
        reason = (
            f"This batch tests at {seven_oh:g}% 7-OH, at or above 0.04% (400 ppm), the level "
            "Florida's rule uses for concentrated 7-OH; natural leaf has measured under 0.0124%."
        )
        findings.append(_concentrate_finding(reason, today))
    return [*findings, *_shifts(batch, today)]
