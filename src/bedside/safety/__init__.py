"""The safety engine: pure functions over plain inputs, no storage, CLI or web.

* :mod:`bedside.safety.profile` - ``check_profile(medications, conditions, region, today)``
* :mod:`bedside.safety.medications` / :mod:`bedside.safety.conditions` - name matching
* :mod:`bedside.safety.interactions` - findings for medicines (aware of conditions)
* :mod:`bedside.safety.legal` - ``lookup_legal(code, today)`` and ``legal_finding``
* :mod:`bedside.safety.predose` - ``check_predose(context, today)``
* :mod:`bedside.safety.signals` - ``compute_signals(doses, observed_days, ...)``
* :mod:`bedside.safety.findings` - the :class:`~bedside.safety.findings.Finding` they return

Everything that depends on the date takes ``today`` (or aware datetimes); nothing reads the
clock, and packaged data is loaded on first use, not at import.
"""
