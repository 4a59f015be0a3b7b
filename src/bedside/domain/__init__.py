"""Bedside domain."""
