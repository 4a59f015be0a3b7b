"""``python -m bedside`` runs the CLI."""

from bedside.cli.main import run

if __name__ == "__main__":
    run()
