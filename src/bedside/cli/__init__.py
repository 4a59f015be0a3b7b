"""The ``bedside`` command line.

Two process-wide choices are made here, before the command's libraries load (a logging
command's whole process lives about half a second, ``bench/cli_startup.py``):

- Pydantic plugins stay off unless ``PYDANTIC_DISABLE_PLUGINS`` is already set. Bedside
  uses none, and no third-party code should see the health values Bedside validates; yet
  Pydantic looks for plugins by reading the metadata of every installed package when it
  builds its first validator, about 11 ms of CPU for every command. Setting the variable
  to an empty string turns plugin discovery back on.
- The garbage collector collects its youngest generation after 10,000 new objects instead
  of 700, and the middle one after 20 of those instead of 10. Start-up creates hundreds of
  thousands of long-lived objects (modules, classes, SQLAlchemy mappers, Pydantic
  validators), and each collection re-walks the survivors of the last ones and finds no
  garbage: 30-40 ms of a logging command. The collector stays on, so long commands
  (imports, ``bedside serve``) still free cycles; each collection only waits for more
  objects.
"""

import gc
import os

os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
gc.set_threshold(10_000, 20, gc.get_threshold()[2])
