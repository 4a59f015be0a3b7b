"""The Insights and Experiments pages: honest words, numbers with intervals, charts, forms."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from bedside.services.runtime import Bedside
from bedside.web.app import create_app
from tests.integration.web.conftest import BASE_URL, Clock, Web
from tests.integration.web.simulated_experiment import build_completed_experiment, evening_after
from tests.integration.web.test_web_charts_tables import assert_cells_labelled
from tests.integration.web.test_web_queries import counting

CAUSAL = ("causes", "improves", "leads to", "makes you")
DOSE_ADVICE = ("take more", "increase your dose")
VERDICT_BANDS = (
    "very likely worth it",
    "probably worth it",
    "uncertain, more periods would help",
    "unlikely to be worth it",
)
MAX_ANALYSIS_QUERIES = 40
PLAN = {
    "question": "Does kratom help me sleep?",
    "outcome": "quality",
    "threshold": "0.5",
    "levels": ["kratom", "no kratom"],
    "pairs": "6",
    "nights": "5",
    "washout": "1",
    "run_in": "0",
    "start": "",
}


@pytest.fixture
def done(web_settings: object) -> Iterator[Web]:
    """The app on a database with a completed simulated 6-pair experiment."""
    build_completed_experiment(web_settings)  # type: ignore[arg-type]
    clock = Clock(evening_after())
    app = create_app(web_settings, clock=clock)  # type: ignore[arg-type]
    with TestClient(app, base_url=BASE_URL) as client:
        yield Web(client=client, settings=web_settings, clock=clock)  # type: ignore[arg-type]


def form(data: dict[str, object]) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for key, value in data.items():
        values = value if isinstance(value, list) else [value]
        items.extend((key, str(v)) for v in values)
    return items


def visible_text(html: str) -> str:
    """The page's words without SVG drawing commands or tags."""
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_insights_page_shows_association_numbers_and_charts(done: Web) -> None:
    page = done.get("/insights")
    assert page.status_code == 200
    text = page.text
    assert "Association, not proof" in text
    assert "Nights with kratom" in text and "Unknown (nothing logged)" in text
    assert re.search(r"[+−-]\d\.\d\d points \(1-5\) <span class=\"small\">\(90% range", text)
    assert "What this does not show" in text and "Other outcomes" in text
    assert "exploratory" in text and "Benjamini-Hochberg" in text
    assert "Amount and timing, among nights with kratom" in text
    # Chances in neutral words: verdict bands belong to randomised experiments only (§4.6-4.7)
    assert re.search(
        r"the chance that sleep quality is higher on nights with kratom than on "
        r"nights without is (\d+%|over 99%)",
        text,
    )
    assert "These chances describe your log, not a verdict on kratom." in text
    for band in VERDICT_BANDS:
        assert band not in text
    assert "sceptical prior" not in text
    charts = re.findall(r'<svg class="chart-svg"[^>]*role="img"', text)
    assert len(charts) >= 1
    assert "night by night</title>" in text
    assert ' style="' not in text and "<style" not in text  # the CSP forbids inline styles


def test_insights_page_has_no_causal_words_and_no_dose_advice(done: Web) -> None:
    for url in ("/insights", "/insights?outcome=rested", "/insights?outcome=pain_next_morning"):
        words = visible_text(done.get(url).text).lower()
        for phrase in (*CAUSAL, *DOSE_ADVICE):
            assert phrase not in words, (url, phrase)


def test_insights_mistakes_are_shown_next_to_the_field(done: Web) -> None:
    bad = done.get("/insights?outcome=sleepiness")
    assert bad.status_code == 422
    assert 'id="f-outcome-error"' in bad.text and "choose one of" in bad.text
    dates = done.get("/insights?from=2025-02-30")
    assert dates.status_code == 422 and 'id="f-from-error"' in dates.text
    backwards = done.get("/insights?from=2025-02-10&to=2025-01-10")
    assert backwards.status_code == 422 and "after it ends" in backwards.text
    far = done.get("/insights?from=0001-01-01&to=9999-12-31")
    assert far.status_code == 422 and 'id="f-from-error"' in far.text


def test_insights_without_data_says_what_is_needed(profiled: Web) -> None:
    page = profiled.get("/insights")
    assert page.status_code == 200
    assert "Nothing logged in this range yet" in page.text
    assert "<svg" not in page.text


def test_insights_not_enough_variation(profiled: Web) -> None:
    for day in ("2025-06-10", "2025-06-11"):
        r = profiled.api("POST", "/api/v1/doses", json={"amount": 3, "time": "22:00", "night": day})
        assert r.status_code == 201, r.text
    page = profiled.get("/insights")
    assert "Not enough variation yet" in page.text
    assert 'class="missing"' in page.text
    # what is missing is listed once, not again as a paragraph under the list
    assert page.text.count("more logged nights needed") == 1


def test_completed_experiment_page(done: Web) -> None:
    page = done.get("/experiments")
    assert page.status_code == 200
    text = page.text
    assert "Over your 6 kratom and 6 no kratom periods" in text
    assert "Period-level paired estimate" in text and "95% t interval" in text
    assert "Exact randomisation p" in text and "smallest achievable 0.0312" in text
    assert "Smallest possible p" not in text  # no p-value headline among the lay facts
    assert "Sceptical prior" in text and "Flat prior (comparison)" in text
    assert "P(benefit &gt; threshold)" in text
    assert "Non-overlap (NAP)" in text and "Carry-over check" in text
    assert "Night-level AR(1) (secondary)" in text
    assert "What this does not show" in text
    assert "Followed the plan on 60 of 60 assigned nights" in text
    assert 'href="/experiments/1/calendar.ics"' in text
    assert len(re.findall(r'<svg class="chart-svg"[^>]*role="img"', text)) == 4  # phone + wide
    assert text.count('<figure class="chart">') == 2
    assert assert_cells_labelled(text) >= 3  # both charts' numbers and the schedule
    assert "on each experiment night</title>" in text and "mean of each period" in text
    assert "Stop experiment" not in text  # complete: nothing to stop
    assert "Plan a new experiment" in text
    assert done.get("/experiments/1").text.count("Period-level paired estimate") == 1


def test_calendar_download(done: Web) -> None:
    response = done.get("/experiments/1/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    assert response.text.startswith("BEGIN:VCALENDAR") and response.text.count("BEGIN:VEVENT") == 60


def test_unknown_experiment_is_a_404_page(done: Web) -> None:
    assert done.get("/experiments/99").status_code == 404
    assert done.get("/experiments/99/calendar.ics").status_code == 404
    assert done.get("/experiments/abc").status_code == 404


def test_plan_form_then_schedule_in_progress_and_stop(profiled: Web) -> None:
    empty = profiled.get("/experiments")
    assert empty.status_code == 200
    assert "Plan an experiment" in empty.text and "2/2^K" in empty.text
    assert 'value="kratom"' in empty.text and 'value="no kratom"' in empty.text
    assert 'name="pairs" type="number" value="6"' in empty.text

    response = profiled.post("/experiments", form(PLAN))
    assert response.status_code == 303, response.text[:800]
    assert response.headers["location"] == "/experiments/1?saved=planned"
    page = profiled.get("/experiments/1?saved=planned").text
    assert "Experiment planned." in page
    assert "Log at least 7 nights of sleep quality" in page  # the expected-precision message
    # it says how many nights were actually logged when the plan was fixed
    assert "0 nights of sleep quality had been logged in the 60 nights before the start" in page
    assert "drawn when the block starts" in page
    assert "Experiment in progress" in page
    assert "P(benefit" not in page and "Period-level" not in page and "<svg" not in page
    assert "Tonight (" in page and "The experiment starts on the night of" in page

    tonight = profiled.get("/").text
    assert "Tonight's experiment" in tonight and 'href="/experiments"' in tonight

    again = profiled.post("/experiments", form(PLAN))
    assert again.status_code == 409 and "stop it first" in again.text

    unconfirmed = profiled.post("/experiments/1/stop", {})
    assert unconfirmed.status_code == 422 and 'id="f-confirm-error"' in unconfirmed.text
    stopped = profiled.post("/experiments/1/stop", {"confirm": "on"})
    assert stopped.status_code == 303
    assert stopped.headers["location"] == "/experiments/1?saved=stopped"
    assert "Experiment stopped" in profiled.get(stopped.headers["location"]).text
    twice = profiled.post("/experiments/1/stop", {"confirm": "on"})
    assert twice.status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pairs": "2"}, "pairs"),
        ({"pairs": "many"}, "pairs"),
        ({"threshold": "-1"}, "threshold"),
        ({"outcome": "mood"}, "outcome"),
        ({"question": ""}, "question"),
        ({"levels": ["kratom", "Kratom"]}, "levels"),
        ({"nights": "2", "washout": "2"}, "nights"),
        ({"start": "2020-01-01"}, "start"),
        ({"start": "soon"}, "start"),
        ({"run_in": "-3"}, "run_in"),
        ({"start": "9999-12-31"}, "start"),
        ({"threshold": "inf"}, "threshold"),
    ],
)
def test_plan_mistakes_are_shown_next_to_the_field(
    profiled: Web, change: dict[str, object], field: str
) -> None:
    response = profiled.post("/experiments", form({**PLAN, **change}))
    assert response.status_code == 422, response.text[:500]
    assert f'id="f-{field}-error"' in response.text
    assert profiled.api("GET", "/api/v1/experiments").json() == []


def test_analysis_pages_run_a_bounded_number_of_queries(done: Web) -> None:
    bedside: Bedside = done.client.app.state.bedside  # type: ignore[attr-defined]
    for url in ("/insights", "/experiments", "/insights?outcome=rested&from=2025-01-06"):
        with counting(bedside) as statements:
            assert done.get(url).status_code == 200
        assert len(statements) <= MAX_ANALYSIS_QUERIES, (url, len(statements))


def test_nav_links_to_insights_and_experiments(done: Web) -> None:
    text = done.get("/insights").text
    assert '<a href="/insights" aria-current="page">Insights</a>' in text
    assert '<a href="/experiments">Experiments</a>' in text


def test_first_run_redirect(web: Web) -> None:
    for url in ("/insights", "/experiments"):
        assert web.get(url, follow_redirects=False).headers["location"] == "/welcome"
    assert date.today()  # the pages never need today's real date


def _log_week(web: Web) -> None:
    """Seven nights in June 2025, kratom on alternate evenings, each with a morning diary."""
    for offset in range(7):
        night = f"2025-06-{7 + offset:02d}"
        if offset % 2 == 0:
            dose = {"amount": 3, "time": "22:00", "night": night}
            assert web.api("POST", "/api/v1/doses", json=dose).status_code == 201
        diary = {
            "night": night, "bedtime": "23:00", "tried": "23:10", "sol_min": 20,
            "awakenings": 1, "waso_min": 15, "final_wake": "06:40", "out_of_bed": "07:00",
            "quality": 4 if offset % 2 == 0 else 3,
        }  # fmt: skip
        response = web.api("POST", "/api/v1/diary", json=diary)
        assert response.status_code == 201, response.text


def test_week_one_feedback_on_insights_and_the_api(profiled: Web) -> None:
    _log_week(profiled)
    body = profiled.api("GET", "/api/v1/insights").json()
    week = body["week_one"]
    assert week["logging"]["logged_nights"] == 7
    assert week["logging"]["nights_until_analysis"] == 21
    quality = next(o for o in week["outcomes"] if o["outcome"] == "quality")
    assert quality["with_kratom"] == {"mean": 4.0, "nights": 4}
    assert quality["without_kratom"] == {"mean": 3.0, "nights": 3}
    page = profiled.get("/insights").text
    assert "Your nights so far" in page
    assert "Not yet enough nights to say whether the difference is more than chance." in page
    assert "21 more logged nights until the first real comparison" in page
    assert '<table class="week-one-table">' in page
    assert '4 <span class="small muted">(4)</span>' in page
