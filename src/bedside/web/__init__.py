"""Bedside web."""
