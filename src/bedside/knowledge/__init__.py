"""Bedside knowledge."""
