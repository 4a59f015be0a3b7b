"""Bedside cli."""
