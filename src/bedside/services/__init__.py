"""Bedside services."""
