"""The report's PDF loads nothing from outside the document, whatever WeasyPrint is installed."""

from __future__ import annotations

from typing import Any

import pytest

from bedside.reports.clinician import offline_fetcher


def _body(resource: Any) -> bytes:
    """The fetched bytes: older WeasyPrint fetchers return a dict, newer a response object."""
    if isinstance(resource, dict):
        return bytes(resource.get("string") or resource["file_obj"].read())
    data: bytes = resource.read() if hasattr(resource, "read") else resource.body.read()
    return data


@pytest.mark.parametrize(
    "url", ["file:///etc/hostname", "http://127.0.0.1:9/logo.png", "https://example.org/x.css"]
)
def test_the_fetcher_refuses_anything_but_data_urls(url: str) -> None:
    with pytest.raises(ValueError):
        offline_fetcher()(url)


def test_the_fetcher_loads_data_urls() -> None:
    assert _body(offline_fetcher()("data:text/plain,night")) == b"night"
