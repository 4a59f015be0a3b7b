"""The ``bedside`` command line (entry point: :func:`bedside.cli.main.run`)."""
