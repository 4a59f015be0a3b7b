"""The person's source priority: completing, validating and reading back a chosen order."""

from __future__ import annotations

import pytest

from bedside.domain.errors import InputError
from bedside.sleep.priority import (
    DEFAULT_PRIORITY,
    DEVICE_CLASS_LABELS,
    DEVICE_CLASSES,
    SourcePriority,
    complete_order,
    split_order,
    stored_priority,
)


def test_classes_left_out_follow_in_the_default_order() -> None:
    assert complete_order(["oura"]) == (
        "oura",
        "apple_watch",
        "garmin",
        "fitbit",
        "withings",
        "phone_app",
        "iphone",
        "other",
    )
    assert complete_order(["iphone", "other"])[:3] == ("iphone", "other", "apple_watch")
    assert complete_order([]) == DEFAULT_PRIORITY
    full = tuple(reversed(DEVICE_CLASSES))
    assert complete_order(full) == full


def test_names_are_case_insensitive_and_may_use_hyphens() -> None:
    assert complete_order([" Apple-Watch ", "PHONE_APP"])[:2] == ("apple_watch", "phone_app")


@pytest.mark.parametrize(
    ("given", "field", "needle"),
    [
        (["watch"], "order.0", "'watch' is not a device class; use one of apple_watch, oura"),
        (["oura", "Fitbit", "fitbitt"], "order.2", "'fitbitt' is not a device class"),
        (["oura", "apple_watch", "OURA"], "order.2", "'oura' is given twice"),
        (["", "oura"], "order.0", "'' is not a device class"),
    ],
)
def test_unknown_or_repeated_classes_are_refused_by_position(
    given: list[str], field: str, needle: str
) -> None:
    with pytest.raises(InputError) as caught:
        complete_order(given)
    assert caught.value.field == field
    assert needle in caught.value.message


def test_split_order_accepts_commas_arrows_and_spaces() -> None:
    assert split_order("oura > apple_watch,iphone  other") == [
        "oura",
        "apple_watch",
        "iphone",
        "other",
    ]
    assert split_order(" , ") == []


def test_stored_order_is_read_leniently() -> None:
    assert stored_priority(None) == SourcePriority()
    assert stored_priority([]) == SourcePriority()
    read = stored_priority(["oura", "gone_class", "oura", 3, "iphone"])
    assert read.order[:3] == ("oura", "iphone", "apple_watch")
    assert sorted(read.order) == sorted(DEVICE_CLASSES)
    assert read.rank("oura") == 0 and read.rank("apple_watch") == 2


def test_every_class_has_a_label() -> None:
    assert set(DEVICE_CLASS_LABELS) == set(DEVICE_CLASSES)
