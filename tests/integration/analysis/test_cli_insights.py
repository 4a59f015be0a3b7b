"""``bedside analyze``: observational insights, minimum-data rules, association words only."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from tests.conftest import Cli
from tests.integration.analysis.conftest import Sim, log_history

FIRST = date(2025, 1, 6)
CAUSAL = re.compile(
    r"\b(causes|caused by|improves|improved by|leads to|led to|results in|reduces|"
    r"because of kratom|statistically significant|significant)\b",
    re.IGNORECASE,
)


def _mixed(nights: int, seed: int = 11) -> list[bool | None]:
    rng = random.Random(seed)
    return [rng.random() < 0.5 for _ in range(nights)]


def test_enough_nights_give_an_association_not_proof(sim: Sim, profiled_cli: Cli) -> None:
    log_history(sim, FIRST, _mixed(70))
    result = profiled_cli("analyze", "--json").json()
    assert result["status"] == "ok"
    assert result["label"] == "association, not proof"
    assert result["counts"]["nights_in_range"] == 70
    primary = result["result"]["primary"]
    assert primary["label"] == "association, not proof"
    assert 0.4 < primary["adjusted"]["estimate"] < 1.6
    assert any("association, not proof" in s for s in result["summary"])
    assert result["from"] == "2025-01-06" and result["to"] == "2025-03-16"


def test_observational_output_uses_no_causal_words(sim: Sim, profiled_cli: Cli) -> None:
    log_history(sim, FIRST, _mixed(70))
    text = profiled_cli("analyze").stdout
    assert "association, not proof" in text
    assert "Only a randomised self-experiment can show whether kratom helps you." in text
    assert CAUSAL.search(text) is None, CAUSAL.search(text)
    for outcome in ("rested", "sleep_onset_latency_min"):
        other = profiled_cli("analyze", "--outcome", outcome).stdout
        assert CAUSAL.search(other) is None


def test_observational_chances_carry_no_verdict_band(sim: Sim, profiled_cli: Cli) -> None:
    """Verdict bands judge randomised experiments only (nof1-methods §4.6-4.7)."""
    log_history(sim, FIRST, _mixed(70))
    result = profiled_cli("analyze", "--json").json()
    chances = [s for s in result["summary"] if "chance that sleep quality is higher" in s]
    assert len(chances) == 1
    assert chances[0].endswith("These chances describe your log, not a verdict on kratom.")
    assert "by at least your threshold of 0.5 points" in chances[0]
    text = profiled_cli("analyze").stdout
    assert chances[0] in text
    for words in (result["summary"], [text]):
        for line in words:
            assert re.search(r"worth it|more periods would help|sceptical", line) is None, line


def test_27_nights_are_not_enough(sim: Sim, profiled_cli: Cli) -> None:
    log_history(sim, FIRST, [i % 2 == 0 for i in range(27)])
    result = profiled_cli("analyze", "--json").json()
    assert result["status"] == "not_enough_data"
    assert result["summary"][0].startswith("Not enough variation yet.")
    assert "1 more logged night needed (have 27, need 28)" in result["summary"][0]
    text = profiled_cli("analyze").stdout
    assert "Not enough variation yet." in text
    assert "higher than on the" not in text and "lower than on the" not in text
    assert "Other outcomes (exploratory; none can be compared yet):" in text
    assert "0 examined together" not in text


def test_one_sided_exposure_is_not_enough_variation(sim: Sim, profiled_cli: Cli) -> None:
    log_history(sim, FIRST, [True] * 40)
    result = profiled_cli("analyze", "--json").json()
    assert result["status"] == "not_enough_data"
    message = result["summary"][0]
    assert "10 more logged nights without kratom needed (have 0, need 10)" in message
    assert "switches between kratom and no-kratom nights" in message


def test_unknown_nights_are_not_no_kratom_nights(sim: Sim, profiled_cli: Cli) -> None:
    pattern: list[bool | None] = [True] * 30 + [None] * 30
    log_history(sim, FIRST, pattern)
    result = profiled_cli("analyze", "--json").json()
    counts = result["counts"]
    assert counts == {
        "nights_in_range": 30,
        "exposure_known": 30,
        "with_kratom": 30,
        "without_kratom": 0,
        "outcome_logged": 30,
    }
    ranged = profiled_cli("analyze", "--from", "2025-01-01", "--to", "2025-03-31", "--json")
    assert ranged.json()["counts"]["nights_in_range"] == 90
    assert ranged.json()["counts"]["without_kratom"] == 0


def test_nothing_logged_says_so(profiled_cli: Cli) -> None:
    result = profiled_cli("analyze", "--json").json()
    assert result["status"] == "no_data" and result["result"] is None
    assert "Nothing logged" in profiled_cli("analyze").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--outcome", "sleep"), "error: --outcome: unknown outcome 'sleep'; choose one of: "),
        (("--from", "2025-02-01", "--to", "2025-01-01"), "error: --from: the range starts"),
        (("--from", "yesterday"), "error: --from: 'yesterday' is not a date"),
    ],
)
def test_mistakes_are_one_line_errors(
    profiled_cli: Cli, args: tuple[str, ...], message: str
) -> None:
    done = profiled_cli("analyze", *args, ok=False)
    assert done.code == 2
    assert done.stderr.startswith(message)
    assert done.stderr.count("\n") == 1
