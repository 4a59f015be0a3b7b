"""Small things found while using Bedside for a week: words on History and Products."""

from __future__ import annotations

from tests.integration.web.conftest import Web


def test_history_says_pain_before_the_dose_after_the_reason(profiled: Web) -> None:
    dose = {"amount": 3, "time": "2025-06-13T22:30", "reason": "pain", "pain_before": 8}
    assert profiled.api("POST", "/api/v1/doses", json=dose).status_code == 201
    night = profiled.get("/history").text.split('id="night-2025-06-13"')[1].split("</article>")[0]
    text = " ".join(night.replace("</span>", "").replace('<span class="muted">', "").split())
    assert "for pain, pain before 8/10" in text, night
    assert "dose 30 min before bed" in night


def test_a_failed_contaminant_test_stands_out_on_products(profiled: Web) -> None:
    fields = {"name": "Red Bali", "form": "leaf_powder", "lot": "RB-9", "contaminants": "failed"}
    assert profiled.post("/products", fields).status_code == 303
    fields = {
        "name": "Green Sumatra",
        "form": "leaf_powder",
        "lot": "GS-1",
        "contaminants": "passed",
    }
    assert profiled.post("/products", fields).status_code == 303
    page = profiled.get("/products").text
    failed = page.split("RB-9")[0].rsplit("<li", 1)[1]
    assert 'class="batch-failed"' in failed
    assert page.count('class="batch-failed"') == 1
    assert "Failed contaminant test" in page


def test_api_docs_show_code_without_literal_backticks(web: Web) -> None:
    page = web.get("/api/docs")
    assert page.status_code == 200
    assert "`" not in page.text
    assert "<code>" in page.text.split('id="schemas"')[1]


def test_json_minutes_are_rounded_to_a_tenth(profiled: Web) -> None:
    """A dose at 22:30:20 is 29.7 minutes before bed, not 29.666666666666668."""
    dose = {"amount": 3, "time": "2025-06-13T22:30:20"}
    assert profiled.api("POST", "/api/v1/doses", json=dose).status_code == 201
    nights = profiled.api("GET", "/api/v1/nights?from=2025-06-13&to=2025-06-13").json()
    assert nights[0]["doses"][0]["minutes_from_bedtime"] == -29.7
