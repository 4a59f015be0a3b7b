"""The clinician report's typed result, for the front ends that render it.

The model lives with the report's renderers in :mod:`bedside.reports.model`; the JSON API,
the page and the CLI name it through this module, as they name nothing but services.
"""

from __future__ import annotations

from bedside.reports.model import ClinicianReport

__all__ = ["ClinicianReport"]
