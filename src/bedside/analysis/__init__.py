"""Bedside analysis."""
