"""Bedside importers."""
