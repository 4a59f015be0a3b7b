"""API: the sleep source priority (which device wins when several recorded the same minutes)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from bedside.services import sleep_priority
from bedside.services.sleep_priority import SleepPriorityIn, SleepPriorityOut
from bedside.web.api.common import api_scope

router = APIRouter(tags=["sleep"])


@router.get("/sleep/priority", name="get_sleep_priority")
def get_sleep_priority(request: Request) -> SleepPriorityOut:
    """The order in which overlapping sources are believed, best first, and the classes."""
    with api_scope(request) as scope:
        return sleep_priority.get_priority(scope)


@router.put("/sleep/priority", name="put_sleep_priority")
def put_sleep_priority(request: Request, body: SleepPriorityIn) -> SleepPriorityOut:
    """Store a new order (classes left out follow in the default order; `null` or `[]` is the
    default) and rebuild every wearable night with it; `nights_rebuilt` says how many.

    An unknown or repeated class is a 422 naming `order.N`; nothing is changed.
    """
    with api_scope(request) as scope:
        return sleep_priority.set_priority(scope, body.order)
