"""History's sleep-window chart and its text alternative; every table cell carries its label."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.integration.web.conftest import Web

DIARY = {
    "night": "2025-06-10",
    "bedtime": "23:00",
    "tried": "23:10",
    "sol_min": "20",
    "awakenings": "1",
    "waso_min": "15",
    "final_wake": "06:40",
    "out_of_bed": "07:00",
    "quality": "4",
}


class Tables(HTMLParser):
    """Every table of a page: its column headers and, per body cell, its data-label."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str | None]]]] = []
        self._in: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag == "th":
            self._in, self._text = "th", ""
        elif tag == "td" and self.tables:
            self.tables[-1][1][-1].append(dict(attrs).get("data-label"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._in == "th":
            self.tables[-1][0].append(self._text.strip())
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data


def assert_cells_labelled(html: str) -> int:
    """Each body cell's data-label is its column's header; the number of tables checked."""
    parser = Tables()
    parser.feed(html)
    for headers, rows in parser.tables:
        assert headers and all(headers), headers
        for row in rows:
            if row:  # the header row has no <td>
                assert row == headers[: len(row)], (headers, row)
    return len(parser.tables)


def test_history_draws_the_sleep_window_with_doses_and_its_numbers(profiled: Web) -> None:
    assert profiled.post("/log/dose", {"amount": "3", "unit": "g", "time": "2025-06-10T22:05"})
    assert profiled.post("/diary", DIARY).status_code == 303
    text = profiled.get("/history").text
    figure = text.split('<figure class="chart">')[1].split("</figure>")[0]
    assert "Time in bed and doses, night by night" in figure
    assert "1 with a bar from bedtime to final awakening" in figure
    assert "1 with doses marked" in figure
    svgs = re.findall(r'<svg class="chart-svg"[^>]*role="img"[^>]*>', figure)
    assert len(svgs) == 2  # the phone and the wide rendering
    assert all("viewBox" in s and " width=" not in s and " height=" not in s for s in svgs)
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids)), "an id is used twice on the page"
    row = re.search(r"<tr>(<td [^>]*>Tue 10 Jun</td>.*?)</tr>", figure)
    assert row is not None
    assert re.findall(r'data-label="([^"]+)">([^<]*)<', row.group(1)) == [
        ("Night", "Tue 10 Jun"),
        ("In bed", "23:00"),
        ("Final awakening", "06:40"),
        ("Doses", "22:05"),
    ]
    assert assert_cells_labelled(text) == 1


def test_history_without_a_diary_or_a_dose_has_no_chart(profiled: Web) -> None:
    text = profiled.get("/history").text
    assert "Sleep window" not in text and "<svg" not in text


def test_signals_table_cells_carry_their_column_labels(profiled: Web) -> None:
    assert profiled.post("/log/dose", {"amount": "3", "unit": "g", "time": "2025-06-10T22:05"})
    text = profiled.get("/signals").text
    assert '<table class="figures stack">' in text
    assert assert_cells_labelled(text) == 1
