"""Bedside reports."""
