"""Bedside safety."""
