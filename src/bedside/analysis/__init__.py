"""Bedside analysis: honest n-of-1 statistics, pure functions over pandas and NumPy.

Nothing here imports storage, services, web or CLI; the method specification is
``nof1-methods.md`` §4. Entry points:

- observational insights (§4.2-4.5): :func:`insights.observational_insights` over the
  night frame documented in :mod:`nights`; parts in :mod:`observational`,
  :mod:`dose_response`, :mod:`multiplicity`, :mod:`missingness`, :mod:`eligibility`;
- randomised self-experiments (§4.1): :mod:`design` (plan, schedule, precision),
  :mod:`allocation` (seeded order), :mod:`experiment` (analysis), built on
  :mod:`periods`, :mod:`paired`, :mod:`randomisation`, :mod:`bayes`, :mod:`nonoverlap`,
  :mod:`carryover` and the calendar-time AR(1) model of :mod:`ar1` / :mod:`regression`;
- data collected elsewhere: :func:`file_analysis.analyze_file`;
- words (§4.6-4.7): :mod:`summary`; outcome directions and thresholds: :mod:`outcomes`;
  JSON: :func:`jsonable.to_jsonable`.

Submodules are imported explicitly (no re-exports) so that importing the package stays
cheap for commands that do not analyse anything.
"""
