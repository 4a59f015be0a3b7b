"""Bedside exporters."""
