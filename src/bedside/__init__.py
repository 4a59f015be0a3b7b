"""Bedside: plan, log and honestly evaluate evening kratom use for pain, soreness and sleep."""

__version__ = "0.1.0"
