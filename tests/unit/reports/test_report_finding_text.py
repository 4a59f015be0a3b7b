"""Compact findings for the printed report: whole sentences, caveats kept for the small print."""

from __future__ import annotations

from datetime import date

from bedside.knowledge import STALE_NOTE, Severity
from bedside.reports.finding_text import brief_summary, caveats, sentences
from bedside.safety.findings import Finding

APNEA = (
    "You listed 'sleep apnea'. Kratom acts on the same receptors as opioid medicines, and an "
    "evening dose peaks while you fall asleep. The American Academy of Sleep Medicine says "
    "opioids are linked to several kinds of sleep-disordered breathing, including central and "
    "obstructive sleep apnea. In a study of 24 people taking opioids long term for pain, 46% "
    "breathed badly enough in sleep to count as severe. Not verified: No study of kratom in "
    "people with sleep apnea was found. This information " + STALE_NOTE + "."
)


def test_brief_keeps_whole_first_sentences_and_drops_the_you_listed_echo() -> None:
    brief = brief_summary(APNEA)
    assert brief.startswith("Kratom acts on the same receptors")
    assert brief.endswith("while you fall asleep.")  # the next sentence would pass the limit
    assert "Not verified" not in brief and STALE_NOTE not in brief
    assert brief_summary(APNEA, limit=1000).endswith("count as severe.")


def test_caveats_go_to_the_small_print_unchanged() -> None:
    tail = caveats(APNEA)
    assert tail.startswith("Not verified: No study of kratom in people with sleep apnea")
    assert tail.endswith(f"This information {STALE_NOTE}.")
    assert caveats("Kratom is legal here. Buy from sellers who label.") == ""


def test_a_single_long_sentence_is_kept_whole() -> None:
    one = "You listed x. Long " + "word " * 80 + "end."
    assert brief_summary(one) == "Long " + "word " * 80 + "end."
    assert brief_summary("You listed gabapentin.") == "You listed gabapentin."


def test_sentences_split_at_stops_only() -> None:
    assert sentences("A 2.5 g dose. Then 7-OH (2%) rose! Why? 'Quoted' too.") == [
        "A 2.5 g dose.", "Then 7-OH (2%) rose!", "Why?", "'Quoted' too.",
    ]  # fmt: skip


def test_the_report_finding_says_both_dates_as_the_app_does() -> None:
    from bedside.services.report import report_finding

    law = Finding(
        id="legal.US-TX", severity=Severity("info"), title="Kratom in Texas: regulated",
        summary="Legal with rules.", action="Re-check.", sources=("https://example.org/l",),
        as_of=date(2023, 9, 1), checked_on=date(2026, 11, 22), as_of_precision="year",
        law=True,
    )  # fmt: skip
    item = report_finding(law)
    assert item.dates == "law dated 2023 · checked 2026-11-22"
    assert (item.as_of, item.checked_on) == (date(2023, 9, 1), date(2026, 11, 22))
