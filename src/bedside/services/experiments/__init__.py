"""Randomised self-experiments, one module per part.

- :mod:`.plan`: plan, find, stop and list experiments;
- :mod:`.assignment`: tonight's condition, drawing each block's order when it is due;
- :mod:`.views`: the output shapes of a stored experiment (schedule, draws, warnings);
- :mod:`.precision`: the precision a plan can expect, frozen when the run-in ends;
- :mod:`.analysis`: adherence and the analysis of a finished or running experiment;
- :mod:`.calendar`: the schedule as iCalendar events;
- :mod:`.schemas`: the input and output models.

The package itself imports nothing, so ``plan tonight`` pays only for what it uses.
"""
