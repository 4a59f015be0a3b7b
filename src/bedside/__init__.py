"""Bedside: plan, log and honestly evaluate evening kratom use for pain, soreness and sleep.

One process-wide choice is made here, before NumPy can load: OpenBLAS runs on one thread
(unless ``OPENBLAS_NUM_THREADS`` is already set). Bedside's matrices are small (a few
thousand nights by a few dozen columns), where extra BLAS threads only add hand-offs, and
on a busy machine those threads spin against each other: a 1,825 x 70 QR took 0.55 s with
two threads beside other work and 0.011 s with one, which made ``bedside analyze`` four
times slower under load.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
