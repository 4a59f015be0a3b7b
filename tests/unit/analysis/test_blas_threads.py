"""BLAS runs on one thread: small matrices gain nothing from more, and lose a lot under load."""

from __future__ import annotations

import os
import subprocess
import sys


def _run(code: str, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**environ, **env},
    )
    return done.stdout.strip()


def test_importing_bedside_makes_openblas_single_threaded() -> None:
    code = "import bedside, os; print(os.environ['OPENBLAS_NUM_THREADS'])"
    assert _run(code) == "1"


def test_a_thread_count_the_person_set_is_kept() -> None:
    code = "import bedside, os; print(os.environ['OPENBLAS_NUM_THREADS'])"
    assert _run(code, OPENBLAS_NUM_THREADS="2") == "2"
