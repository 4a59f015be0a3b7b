"""``python -m bedside`` runs the CLI."""

from bedside.cli.main import run

run()
