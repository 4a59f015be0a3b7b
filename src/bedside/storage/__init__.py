"""Bedside storage."""
