"""The typed chart result pages receive: server-drawn SVG plus a text alternative."""

from __future__ import annotations

from pydantic import BaseModel, Field

__all__ = ["ChartOut"]


class ChartOut(BaseModel):
    """One chart as a page shows it: two renderings, a caption and a text alternative.

    ``phone`` and ``wide`` are SVG documents drawn by Bedside itself (every text in them
    escaped by the drawing), ready to inline in a page.
    """

    title: str
    phone: str = Field(description="SVG sized for a 375 px phone.")
    wide: str = Field(description="SVG sized for a wide screen.")
    summary: str = Field(description="The chart in one or two sentences (text alternative).")
    headers: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = []
