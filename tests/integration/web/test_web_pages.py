"""The HTML pages: first run, Tonight, logging, diary, history, products, settings."""

from __future__ import annotations

import re

import pytest

from tests.integration.web.conftest import Web

PAGES = [
    "/",
    "/log",
    "/log/dose",
    "/log/pain",
    "/log/soreness",
    "/log/workout",
    "/log/intake",
    "/diary",
    "/history",
    "/products",
    "/settings",
]


def test_every_page_sends_a_new_person_to_first_run(web: Web) -> None:
    for page in PAGES:
        response = web.get(page, follow_redirects=False)
        assert response.status_code == 303, page
        assert response.headers["location"] == "/welcome"


def test_first_run_creates_the_profile_and_opens_tonight(web: Web) -> None:
    page = web.get("/welcome")
    assert page.status_code == 200
    assert 'name="timezone"' in page.text and "data-detect-zone" in page.text
    assert 'value="22:30"' in page.text  # server-side default bedtime
    response = web.post(
        "/welcome",
        {
            "timezone": "Europe/London",
            "region": "gb",
            "bedtime": "22:45",
            "lead_min": "75",
            "wind_down.0.text": "Tea, no caffeine",
            "wind_down.0.minutes_before": "50",
            "wind_down.1.text": "",
            "cap_dose_g": "4",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/?saved=welcome"
    tonight = web.get("/?saved=welcome").text
    assert tonight.count("Bedside is not medical advice.") == 1
    assert "especially if you take any medicines" in tonight
    assert "not medical advice" not in web.get("/").text
    profile = web.api("GET", "/api/v1/profile").json()
    assert profile["timezone"] == "Europe/London"
    assert profile["region"] == "GB"
    assert profile["lead_min"] == 75
    assert profile["cap_dose_g"] == 4
    assert profile["wind_down"] == [{"text": "Tea, no caffeine", "minutes_before": 50}]
    assert web.get("/welcome", follow_redirects=False).headers["location"] == "/settings"


def test_first_run_error_keeps_values_and_names_the_field(web: Web) -> None:
    response = web.post("/welcome", {"timezone": "Mars/Olympus", "bedtime": "23:00"})
    assert response.status_code == 422
    assert 'id="f-timezone-error"' in response.text
    assert "unknown time zone" in response.text
    assert 'value="Mars/Olympus"' in response.text
    assert web.api("GET", "/api/v1/profile").status_code == 422  # nothing saved


@pytest.mark.parametrize("page", [*PAGES, "/api/docs"])
def test_every_page_renders(profiled: Web, page: str) -> None:
    response = profiled.get(page)
    assert response.status_code == 200, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    assert '<script src="/static/bedside.js" defer></script>' in response.text


def test_tonight_shows_intake_countdown_and_wind_down(profiled: Web) -> None:
    text = profiled.get("/").text
    assert "Sat 14 Jun 2025" in text
    assert 'datetime="2025-06-14T22:00:00-04:00">22:00</time>' in text  # intake
    assert "in 1 h 30 min" in text  # it is 20:30
    assert "Screens off" in text and "Dim the lights" in text
    assert 'data-check-key="2025-06-14:0"' in text
    assert "Nothing yet." in text
    assert "Log a dose" in text


def test_one_tap_dose_repeats_the_last_one(profiled: Web) -> None:
    product = profiled.api("POST", "/api/v1/products", json={"name": "Red Bali"}).json()
    profiled.api(
        "POST",
        "/api/v1/doses",
        json={"amount": 2.5, "time": "2025-06-13T21:50", "product_id": product["id"]},
    )
    text = profiled.get("/").text
    form = re.search(
        r'<form method="post" action="/log/dose" class="one-tap">(.*?)</form>', text, re.S
    )
    assert form, text
    assert "Log the same as last time (2.5 g Red Bali)" in form.group(1)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form.group(1)))
    assert fields["amount"] == "2.5" and fields["product_id"] == str(product["id"])
    response = profiled.post("/log/dose", {k: v for k, v in fields.items() if k != "csrf_token"})
    assert response.headers["location"] == "/?saved=dose"
    doses = profiled.api("GET", "/api/v1/doses?from=2025-06-14").json()
    assert [(d["amount"], d["time"]) for d in doses] == [(2.5, "2025-06-14T20:30:00-04:00")]
    tonight = profiled.get("/?saved=dose").text
    assert "Dose saved." in tonight
    assert "Logged 2.5 g at 20:30 · wind-down next" in tonight
    assert "Before you take anything" not in tonight


def test_dose_form_starts_empty_and_offers_the_last_dose_apart(profiled: Web) -> None:
    product = profiled.api("POST", "/api/v1/products", json={"name": "Green Maeng Da"}).json()
    profiled.api("POST", "/api/v1/doses", json={"amount": 3, "product_id": product["id"]})
    text = profiled.get("/log/dose").text
    assert re.search(r'name="amount" type="number"(?! value)', text)
    assert f'<option value="{product["id"]}" selected>Green Maeng Da</option>' not in text
    assert "Log the same as last time (3 g Green Maeng Da)" in text
    assert 'value="2025-06-14T20:30"' in text  # now, editable for backfilling


def test_backfilled_dose_goes_to_its_night_in_history(profiled: Web) -> None:
    response = profiled.post("/log/dose", {"amount": "3", "unit": "g", "time": "2025-06-10T22:05"})
    assert response.status_code == 303
    assert response.headers["location"] == "/history#night-2025-06-10"
    history = profiled.get("/history").text
    night = history.split('id="night-2025-06-10"')[1].split("</article>")[0]
    assert "dose 55 min before bed" in night  # 22:05 vs the 23:00 target bedtime
    assert "\N{MINUS SIGN}55 min" not in night
    assert "3 g" in night


def test_log_forms_save_each_kind(profiled: Web) -> None:
    when = "2025-06-14T19:00"
    assert (
        profiled.post("/log/pain", {"score": "6", "location": "knee", "time": when}).status_code
        == 303
    )
    assert (
        profiled.post(
            "/log/soreness",
            {"ratings.quads": "7", "ratings.calves": "3", "ratings.neck": "", "time": when},
        ).status_code
        == 303
    )
    workout = [
        ("kind", "strength"),
        ("duration_min", "45"),
        ("rpe", "8"),
        ("time", "2025-06-14T17:00"),
        ("muscle_groups", "quads"),
        ("muscle_groups", "hamstrings"),
        ("eccentric", "on"),
    ]
    assert profiled.post("/log/workout", workout).status_code == 303
    intake = {"kind": "caffeine", "amount": "95", "time": "2025-06-14T14:00"}
    assert profiled.post("/log/intake", intake).status_code == 303
    night = profiled.api("GET", "/api/v1/nights?from=2025-06-14&to=2025-06-14").json()[0]
    assert [p["score"] for p in night["pain"]] == [6]
    assert sorted((s["muscle_group"], s["score"]) for s in night["soreness"]) == [
        ("calves", 3),
        ("quads", 7),
    ]
    assert night["workouts"][0]["muscle_groups"] == ["quads", "hamstrings"]
    assert night["workouts"][0]["eccentric"] is True and night["workouts"][0]["new_work"] is False
    assert night["intakes"][0]["unit"] == "mg"
    tonight = profiled.get("/").text
    assert "Quads <strong>7/10</strong>" in tonight
    assert "strength" in tonight and "Caffeine" in tonight


def test_form_error_is_shown_beside_its_field_with_values_kept(profiled: Web) -> None:
    response = profiled.post(
        "/log/dose", {"amount": "500", "unit": "g", "time": "2025-06-14T20:00", "note": "kept"}
    )
    assert response.status_code == 422
    text = response.text
    error = re.search(r'<p class="field-error" id="f-amount-error">(.*?)</p>', text, re.S)
    assert error and "not a plausible single dose" in error.group(1)
    assert 'aria-describedby="f-amount-error"' in text and 'aria-invalid="true"' in text
    assert 'value="500"' in text and ">kept</textarea>" in text
    assert '<a href="#f-amount">' in text  # the summary links to the field
    assert profiled.api("GET", "/api/v1/doses").json() == []


def test_soreness_with_one_bad_group_saves_nothing(profiled: Web) -> None:
    response = profiled.post("/log/soreness", {"ratings.quads": "7", "ratings.calves": "11"})
    assert response.status_code == 422
    assert 'id="f-ratings.calves-error"' in response.text
    assert profiled.api("GET", "/api/v1/soreness").json() == []
    empty = profiled.post("/log/soreness", {"ratings.quads": ""})
    assert empty.status_code == 422 and "rate at least one muscle group" in empty.text


def test_user_text_is_escaped_everywhere(profiled: Web) -> None:
    evil = "<script>alert('x')</script>"
    profiled.post("/log/pain", {"score": "3", "note": evil, "location": evil})
    profiled.post("/products", {"name": evil, "form": "leaf_powder"})
    for page in ("/", "/history", "/products"):
        text = profiled.get(page).text
        assert evil not in text, page
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in text, page


def test_morning_diary_defaults_and_metrics(profiled: Web, clock: object) -> None:
    from datetime import UTC, datetime

    profiled.clock.now = datetime(2025, 6, 15, 11, 10, tzinfo=UTC)  # 07:10 in New York
    form = profiled.get("/diary").text
    assert 'name="night" type="date" value="2025-06-14"' in form
    # nothing made up: the answers start empty, the target bedtime is only a placeholder
    assert 'name="bedtime" type="time" aria-describedby="f-bedtime-hint" required ' in form
    assert 'placeholder="23:00"' in form and "Usually 23:00" in form
    for name in ("tried", "final_wake", "out_of_bed", "sol_min", "awakenings", "waso_min"):
        assert re.search(rf'<input id="f-{name}" name="{name}" type="\w+"(?! value=)', form), name
    assert 'name="out_of_bed" type="time" required>' in form  # no usual time known yet
    assert "Good morning" in profiled.get("/").text
    answers = {
        "night": "2025-06-14",
        "bedtime": "23:00",
        "tried": "23:10",
        "sol_min": "20",
        "awakenings": "1",
        "waso_min": "15",
        "final_wake": "06:40",
        "out_of_bed": "07:00",
        "quality": "4",
    }
    response = profiled.post("/diary", answers)
    assert response.status_code == 303
    assert response.headers["location"] == "/diary/2025-06-14?saved=1"
    night = profiled.get("/diary/2025-06-14?saved=1").text
    assert "Diary saved." in night
    assert "6 h 55 min" in night  # TST: (06:40 - 23:10) - 20 - 15 = 415 min
    assert "8 h 00 min" in night  # time in bed
    assert "86 %" in night  # 415 / 480
    assert profiled.get("/diary", follow_redirects=False).headers["location"] == "/diary/2025-06-14"
    again = profiled.post("/diary", answers)
    assert again.status_code == 422 and 'id="f-night-error"' in again.text
    profiled.clock.now = datetime(2025, 6, 16, 11, 0, tzinfo=UTC)  # the next morning, 07:00
    nextform = profiled.get("/diary").text
    assert 'name="night" type="date" value="2025-06-15"' in nextform
    assert '<input id="f-final_wake" name="final_wake" type="time" aria-describedby' in nextform
    assert 'required placeholder="06:40"' in nextform and "Usually 07:00" in nextform


def test_a_diary_for_a_night_not_over_yet_is_refused(profiled: Web) -> None:
    from datetime import UTC, datetime

    profiled.clock.now = datetime(2025, 6, 15, 11, 10, tzinfo=UTC)  # 07:10 in New York
    answers = {
        "night": "2025-06-14",
        "bedtime": "23:00",
        "tried": "23:10",
        "sol_min": "20",
        "awakenings": "0",
        "waso_min": "0",
        "final_wake": "06:50",
        "out_of_bed": "07:30",
        "quality": "4",
    }
    response = profiled.post("/diary", answers)
    assert response.status_code == 422
    assert 'id="f-out_of_bed-error"' in response.text
    assert "fill in this diary after it, from 2025-06-15 07:30 on" in response.text
    assert 'value="07:30"' in response.text  # the person's answers are kept
    problem = profiled.api(
        "POST", "/api/v1/diary", json={**answers, "final_wake": "08:00", "out_of_bed": "08:10"}
    )
    assert problem.status_code == 422 and problem.json()["field"] == "final_wake"
    assert "from 2025-06-15 08:00 on" in problem.json()["detail"]


def test_diary_order_error_points_at_the_field(profiled: Web) -> None:
    response = profiled.post(
        "/diary",
        {
            "night": "2025-06-14",
            "bedtime": "23:00",
            "tried": "22:00",
            "sol_min": "10",
            "awakenings": "0",
            "waso_min": "0",
            "final_wake": "06:00",
            "out_of_bed": "06:30",
            "quality": "3",
        },
    )
    assert response.status_code == 422
    assert 'id="f-tried-error"' in response.text
    assert 'value="22:00"' in response.text


def test_history_filters_and_reports_a_bad_range(profiled: Web) -> None:
    text = profiled.get("/history").text
    assert text.count('class="card night') == 14
    assert 'id="night-2025-06-14"' in text and 'id="night-2025-06-01"' in text
    ranged = profiled.get("/history?from=2025-05-01&to=2025-05-03").text
    assert ranged.count('class="card night') == 3
    bad = profiled.get("/history?from=2025-05-10&to=2025-05-01")
    assert bad.status_code == 422 and 'id="f-from-error"' in bad.text
    assert profiled.get("/history?from=yesterday").status_code == 422


def test_a_long_range_is_one_row_a_night_each_opening_the_night(profiled: Web) -> None:
    assert profiled.post("/log/dose", {"amount": "3", "unit": "g", "time": "2025-05-10T22:05"})
    assert profiled.post("/log/pain", {"score": "6", "time": "2025-05-10T21:00"})
    text = profiled.get("/history?from=2025-05-01&to=2025-06-14").text  # 45 nights
    assert 'class="card night' not in text  # no full night cards for a long range
    assert text.count('<tr id="night-') == 45 and "45 nights, newest first" in text
    row = text.split('id="night-2025-05-10"')[1].split("</tr>")[0]
    assert 'href="/history?from=2025-05-10&amp;to=2025-05-10"' in row
    assert "1 dose · 3 g · 55 min before bed" in row and "pain 6" in row
    empty = text.split('id="night-2025-05-11"')[1].split("</tr>")[0]
    assert "pain" not in empty and "dose" not in empty  # unknown, not zero
    month = profiled.get("/history?from=2025-05-15&to=2025-06-14").text  # 31 nights
    assert month.count('class="card night') == 31


def test_edit_and_delete_entries(profiled: Web) -> None:
    pain = profiled.api(
        "POST", "/api/v1/pain", json={"score": 4, "time": "2025-06-14T19:00"}
    ).json()
    form = profiled.get(f"/entries/pain/{pain['id']}/edit").text
    assert 'value="2025-06-14T19:00"' in form and 'value="4" checked' in form
    response = profiled.post(
        f"/entries/pain/{pain['id']}/edit", {"score": "2", "time": "2025-06-14T19:30"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/history#night-2025-06-14"
    assert profiled.api("GET", f"/api/v1/pain/{pain['id']}").json()["score"] == 2
    bad = profiled.post(f"/entries/pain/{pain['id']}/edit", {"score": "12", "time": "19:30"})
    assert bad.status_code == 422 and 'id="f-score-error"' in bad.text
    confirm = profiled.get(f"/entries/pain/{pain['id']}/delete").text
    assert "the pain rating of 2/10 at 19:30" in confirm
    assert profiled.post(f"/entries/pain/{pain['id']}/delete", {}).status_code == 303
    assert profiled.api("GET", f"/api/v1/pain/{pain['id']}").status_code == 404
    assert profiled.get(f"/entries/pain/{pain['id']}/edit").status_code == 404
    assert profiled.get("/entries/nonsense/1/edit").status_code == 404


TEXT_INPUT = re.compile(
    r'<input id="f-[^"]+" name="([^"]+)" type="(?:text|number|datetime-local)" value="([^"]*)"'
)
TICKED = re.compile(r'<input type="(?:checkbox|radio)" name="([^"]+)" value="([^"]*)" checked')
TICKED_ALONE = re.compile(
    r'<input type="checkbox" id="f-[^"]+" name="([^"]+)" value="(on)" checked'
)
SELECT = re.compile(r'<select id="f-[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', re.S)


def form_fields(form: str) -> list[tuple[str, str]]:
    """What a browser would submit from a rendered form, left as it is."""
    fields = TEXT_INPUT.findall(form) + TICKED.findall(form) + TICKED_ALONE.findall(form)
    for name, options in SELECT.findall(form):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        fields.append((name, chosen.group(1) if chosen else ""))
    return fields


@pytest.mark.parametrize(
    ("kind", "path", "body"),
    [
        ("dose", "/api/v1/doses", {"amount": 2, "unit": "capsules", "grams_per_capsule": 0.5}),
        ("soreness", "/api/v1/soreness", {"ratings": {"quads": 5}}),
        (
            "workout",
            "/api/v1/workouts",
            {"kind": "run", "duration_min": 30, "muscle_groups": ["calves"], "new_work": True},
        ),
        ("intake", "/api/v1/intakes", {"kind": "medication", "name": "ibuprofen", "amount": 400}),
    ],
)
def test_edit_forms_round_trip_unchanged(
    profiled: Web, kind: str, path: str, body: dict[str, object]
) -> None:
    created = profiled.api("POST", path, json=body).json()
    entry = created[0] if isinstance(created, list) else created
    for extra in ("findings", "acknowledged"):  # a new dose comes with its pre-dose check
        entry.pop(extra, None)
    url = f"{path}/{entry['id']}"
    form = profiled.get(f"/entries/{kind}/{entry['id']}/edit").text
    fields = form_fields(form)
    response = profiled.post(f"/entries/{kind}/{entry['id']}/edit", fields)
    assert response.status_code == 303, response.text[:3000]
    assert profiled.api("GET", url).json() == entry


def test_diary_edit_and_delete(profiled: Web) -> None:
    entry = profiled.api(
        "POST",
        "/api/v1/diary",
        json={
            "night": "2025-06-13",
            "bedtime": "23:00",
            "tried": "23:00",
            "sol_min": 10,
            "awakenings": 0,
            "waso_min": 0,
            "final_wake": "07:00",
            "out_of_bed": "07:00",
            "quality": 3,
        },
    ).json()
    form = profiled.get(f"/entries/diary/{entry['id']}/edit").text
    assert 'name="final_wake" type="time" value="07:00"' in form
    values = {
        "night": "2025-06-13",
        "bedtime": "23:00",
        "tried": "23:00",
        "sol_min": "30",
        "awakenings": "0",
        "waso_min": "0",
        "final_wake": "07:00",
        "out_of_bed": "07:15",
        "quality": "2",
    }
    response = profiled.post(f"/entries/diary/{entry['id']}/edit", values)
    assert response.headers["location"] == "/diary/2025-06-13"
    changed = profiled.api("GET", f"/api/v1/diary/{entry['id']}").json()
    assert changed["total_sleep_time_min"] == 450 and changed["quality"] == 2
    assert profiled.post(f"/entries/diary/{entry['id']}/delete", {}).status_code == 303
    assert "No diary for this night yet." in profiled.get("/diary/2025-06-13").text


def test_products_and_batches(profiled: Web) -> None:
    response = profiled.post(
        "/products",
        {
            "name": "Red Bali",
            "form": "leaf_powder",
            "colour": "red",
            "lot": "RB-7",
            "mitragynine_pct": "1.2",
            "contaminants": "passed",
        },
    )
    assert response.status_code == 303
    product = profiled.api("GET", "/api/v1/products").json()[0]
    assert product["batches"][0]["lot"] == "RB-7"
    assert product["batches"][0]["contaminants_passed"] is True
    pid = product["id"]
    assert (
        profiled.post(
            f"/products/{pid}",
            {"name": "Red Bali 2", "form": "capsules", "grams_per_capsule": "0.5"},
        ).status_code
        == 303
    )
    assert profiled.api("GET", f"/api/v1/products/{pid}").json()["name"] == "Red Bali 2"
    bad = profiled.post(f"/products/{pid}/batches", {"lot": "X", "mitragynine_pct": "120"})
    assert bad.status_code == 422 and 'id="f-mitragynine_pct-error"' in bad.text
    assert (
        profiled.post(
            f"/products/{pid}/batches", {"lot": "RB-8", "tested_on": "2025-05-01"}
        ).status_code
        == 303
    )
    batches = profiled.api("GET", f"/api/v1/products/{pid}/batches").json()
    assert [b["lot"] for b in batches] == ["RB-7", "RB-8"]
    edit = profiled.post(
        f"/batches/{batches[1]['id']}/edit", {"lot": "RB-8b", "contaminants": "failed"}
    )
    assert edit.status_code == 303
    assert (
        profiled.api("GET", f"/api/v1/batches/{batches[1]['id']}").json()["contaminants_passed"]
        is False
    )
    assert "batch RB-8b" in profiled.get(f"/batches/{batches[1]['id']}/delete").text
    assert profiled.post(f"/batches/{batches[1]['id']}/delete", {}).status_code == 303
    assert profiled.post(f"/products/{pid}/delete", {}).status_code == 303
    assert profiled.api("GET", "/api/v1/products").json() == []
    empty = profiled.post("/products", {"name": "", "form": "leaf_powder"})
    assert empty.status_code == 422 and 'id="f-name-error"' in empty.text


def test_settings_edit_profile_wind_down_and_health(profiled: Web) -> None:
    page = profiled.get("/settings").text
    assert 'value="Screens off"' in page
    assert profiled.settings.display_url in page
    response = profiled.post(
        "/settings",
        {
            "timezone": "America/New_York",
            "region": "",
            "bedtime": "22:30",
            "lead_min": "45",
            "wind_down.0.text": "Screens off",
            "wind_down.0.minutes_before": "60",
            "wind_down.0.remove": "on",
            "wind_down.1.text": "Dim the lights",
            "wind_down.1.minutes_before": "40",
            "wind_down.2.text": "Stretch",
            "wind_down.2.minutes_before": "20",
            "cap_day_g": "8",
            "medications": "sertraline\n\n Ibuprofen \n",
            "conditions": "",
        },
    )
    assert response.status_code == 303
    profile = profiled.api("GET", "/api/v1/profile").json()
    assert profile["region"] is None and profile["bedtime"] == "22:30"
    assert profile["wind_down"] == [
        {"text": "Dim the lights", "minutes_before": 40},
        {"text": "Stretch", "minutes_before": 20},
    ]
    assert profile["cap_day_g"] == 8 and profile["cap_dose_g"] is None
    assert profile["medications"] == ["sertraline", "Ibuprofen"]
    bad = profiled.post(
        "/settings",
        {
            "timezone": "America/New_York",
            "bedtime": "22:30",
            "lead_min": "45",
            "wind_down.0.text": "ok",
            "wind_down.0.minutes_before": "10",
            "wind_down.3.text": "too early",
            "wind_down.3.minutes_before": "999",
        },
    )
    assert bad.status_code == 422
    assert 'id="f-wind_down.3.minutes_before-error"' in bad.text
    assert profiled.api("GET", "/api/v1/profile").json()["lead_min"] == 45


def test_a_form_shown_again_keeps_two_blank_wind_down_rows(profiled: Web) -> None:
    rows = re.compile(r'name="wind_down\.(\d+)\.text"')
    shown = sorted(int(n) for n in rows.findall(profiled.get("/settings").text))
    assert shown == [0, 1, 2, 3]  # the two steps plus two blank rows
    values = {"timezone": "America/New_York", "bedtime": "25:00", "lead_min": "60"}
    for row in shown:  # what the browser sends back, blank rows included
        values[f"wind_down.{row}.text"] = "Screens off" if row == 0 else ""
        values[f"wind_down.{row}.minutes_before"] = "60" if row == 0 else ""
    for _ in range(2):
        again = profiled.post("/settings", values)
        assert again.status_code == 422
        assert sorted(int(n) for n in rows.findall(again.text)) == [0, 1, 2]


def test_the_cli_sees_what_the_web_saved(profiled: Web) -> None:
    from typer.testing import CliRunner

    from bedside.cli.main import app

    profiled.post("/log/dose", {"amount": "3.5", "unit": "g", "time": "2025-06-14T20:15"})
    db = profiled.settings.sqlite_path
    assert db is not None
    result = CliRunner().invoke(app, ["--db", str(db), "dose", "list", "--json"])
    assert result.exit_code == 0, result.output
    assert '"time": "2025-06-14T20:15:00-04:00"' in result.stdout
    assert '"amount": 3.5' in result.stdout


def test_unknown_page_is_a_calm_404(profiled: Web) -> None:
    response = profiled.get("/nowhere")
    assert response.status_code == 404
    assert "There is no such page." in response.text
    assert profiled.get("/diary/not-a-date").status_code == 404


def test_findings_render_with_sources_and_urgent_ones_first(
    profiled: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bedside.services import tonight
    from bedside.services.planning import plan_tonight
    from bedside.services.safety_schemas import FindingOut

    def finding(**fields: object) -> FindingOut:
        base = {"action": "", "as_of_precision": "day", "stale": False, "uncertain": False}
        return FindingOut.model_validate({**base, **fields})

    def with_findings(scope: object, night: object = None) -> object:
        plan = plan_tonight(scope, night)  # type: ignore[arg-type]
        plan.findings = [
            finding(
                id="note",
                severity="info",
                title="A note",
                summary="Calm.",
                sources=["https://example.org/a"],
                as_of="2025-01-01",
                checked_on="2025-01-01",
                dates="as of 2025 · checked 2025-01-01",
            ),
            finding(
                id="mix",
                severity="avoid",
                title="Opioid <b>and</b> kratom",
                summary="Breathing risk.",
                action="Do not combine.",
                sources=["https://www.fda.gov/x", "javascript:alert(1)"],
                as_of="2025-05-01",
                checked_on="2025-05-01",
                dates="as of 2025-05-01 · checked 2025-05-01",
            ),
        ]
        return plan

    monkeypatch.setattr(tonight, "plan_tonight", with_findings)
    text = profiled.get("/").text
    intake = text.index("Intake time")
    urgent = text.index("Before you take anything")
    assert intake < urgent < text.index("Log a dose") < text.index("1 safety note")
    assert "Opioid &lt;b&gt;and&lt;/b&gt; kratom" in text
    link = '<a href="https://www.fda.gov/x" rel="noreferrer noopener">https://www.fda.gov/x</a>'
    assert link in text
    assert 'href="javascript:' not in text and "javascript:alert(1)" in text  # shown, not linked
    assert (
        "As of 2025-05-01 · checked 2025-05-01." in text
        and '<details class="finding line severity-avoid">' in text
    )


def test_tonights_experiment_is_shown_only_when_there_is_one(
    profiled: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bedside.services import tonight
    from bedside.services.planning import plan_tonight

    assert "Tonight's experiment" not in profiled.get("/").text

    from bedside.services.experiments.schemas import AssignmentOut

    def with_experiment(scope: object, night: object = None) -> object:
        plan = plan_tonight(scope, night)  # type: ignore[arg-type]
        plan.experiment = AssignmentOut.model_validate(
            {
                "experiment_id": 1,
                "question": "Does an earlier dose help me <sleep>?",
                "night": "2025-06-14",
                "status": "assigned",
                "condition": "early",
                "block": 2,
                "period": 1,
                "night_in_period": 3,
                "washout": False,
                "run_in": False,
                "instruction": "Tonight: take your usual dose 120 minutes before bed.",
            }
        )
        return plan

    monkeypatch.setattr(tonight, "plan_tonight", with_experiment)
    text = profiled.get("/").text
    assert text.index("Tonight's experiment") < text.index("Intake time")
    assert "Tonight: take your usual dose 120 minutes before bed." in text
    assert "Does an earlier dose help me &lt;sleep&gt;?" in text
    assert "Block 2, period 1, night 3" in text


def _diary_answers(night: str) -> dict[str, str]:
    return {
        "night": night, "bedtime": "23:00", "tried": "23:10", "sol_min": "20",
        "awakenings": "1", "waso_min": "15", "final_wake": "06:40", "out_of_bed": "07:00",
        "quality": "4",
    }  # fmt: skip


def test_diary_tab_opens_the_most_recent_night_without_a_diary(profiled: Web) -> None:
    from datetime import UTC, datetime

    profiled.clock.now = datetime(2025, 6, 14, 11, 0, tzinfo=UTC)  # 07:00 on 14 June
    assert profiled.post("/diary", _diary_answers("2025-06-10")).status_code == 303
    assert profiled.post("/diary", _diary_answers("2025-06-12")).status_code == 303
    assert profiled.post("/diary", _diary_answers("2025-06-13")).status_code == 303
    profiled.clock.now = datetime(2025, 6, 16, 11, 0, tzinfo=UTC)  # 07:00 on 16 June
    form = profiled.get("/diary").text
    # last night (15 June) has no diary: it opens, not the last one saved (13 June)
    assert 'name="night" type="date" value="2025-06-15"' in form
    others = form.split('id="unfilled-title"')[1].split("</nav>")[0]
    assert '/diary?night=2025-06-14"' in others and '/diary?night=2025-06-11"' in others
    assert "2025-06-13" not in others and "2025-06-15" not in others
    assert "2025-06-09" not in others  # before the first night logged
    assert profiled.post("/diary", _diary_answers("2025-06-15")).status_code == 303
    assert 'value="2025-06-14"' in profiled.get("/diary").text
    for night in ("2025-06-14", "2025-06-11"):
        assert profiled.post("/diary", _diary_answers(night)).status_code == 303
    every = profiled.get("/diary", follow_redirects=False)
    assert every.headers["location"] == "/diary/2025-06-15"


def test_the_diary_waits_for_the_usual_final_awakening(profiled: Web) -> None:
    from datetime import UTC, datetime

    profiled.clock.now = datetime(2025, 6, 14, 11, 0, tzinfo=UTC)
    assert profiled.post("/diary", _diary_answers("2025-06-12")).status_code == 303
    profiled.clock.now = datetime(2025, 6, 15, 4, 30, tzinfo=UTC)  # 00:30: 14 June not over
    form = profiled.get("/diary").text
    assert 'name="night" type="date" value="2025-06-13"' in form


def test_first_run_asks_for_medicines_and_shows_the_findings(web: Web) -> None:
    page = web.get("/welcome").text
    assert 'name="medications"' in page and 'name="conditions"' in page
    assert "Leave them blank to skip" in page
    response = web.post(
        "/welcome",
        {
            "timezone": "Europe/London",
            "bedtime": "22:45",
            "lead_min": "60",
            "medications": "Xanax\nsertraline",
            "conditions": "COPD",
        },
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/safety?welcome=1"
    shown = web.get("/safety?welcome=1").text
    assert "Kratom with benzodiazepines" in shown and "Kratom with COPD" in shown
    advice = (
        "Bedside is not medical advice. Talk to your clinician or pharmacist about kratom, "
        "especially with the medicines you named: Xanax, sertraline."
    )
    assert shown.count("not medical advice") == 1 and advice in shown
    assert "not medical advice" not in web.get("/safety").text  # said once, at set-up
