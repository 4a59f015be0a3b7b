"""Sleep as a pure algorithm: the records sources yield, night assembly and source priority.

Standard library only (and :mod:`bedside.domain`): importers, services and analysis all use
it, and it imports none of them, nor storage, web or the CLI.

* :mod:`bedside.sleep.records`: the frozen records every importer streams;
* :mod:`bedside.sleep.nights`: sessions, main sleep and per-night figures from those records;
* :mod:`bedside.sleep.priority`: which device class wins when sources overlap;
* :mod:`bedside.sleep.zones`: time zones by name and epoch seconds.
"""
