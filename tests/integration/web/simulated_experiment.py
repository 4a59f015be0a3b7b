"""A database holding a completed simulated 6-pair experiment, built through the services.

Reuses the analysis lane's simulation (fixed clock, explicit times) so web and browser tests
see the same kind of nights the analysis tests check.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bedside.services import profiles
from bedside.services.runtime import Bedside
from bedside.settings import Settings
from tests.integration.analysis.conftest import START, Clock, Sim, at_local, simulate_experiment

#: An evening well after the simulated experiment ended (its 60 nights start on START).
AFTER = at_local(START + timedelta(days=62), 20)


def build_completed_experiment(settings: Settings, pairs: int = 6) -> int:
    """Profile (New York, bedtime 23:00) and a lived kratom / no-kratom experiment; its id."""
    clock = Clock(at_local(START - timedelta(days=1), 18))
    app = Bedside(settings, clock=clock).start()
    try:
        with app.scope() as scope:
            profiles.set_profile(scope, {"timezone": "America/New_York", "bedtime": "23:00"})
        return simulate_experiment(Sim(app, clock), pairs=pairs)
    finally:
        app.close()


def evening_after() -> datetime:
    """The instant the web app's clock is set to once the experiment is over."""
    return AFTER
