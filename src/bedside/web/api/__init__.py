"""The JSON API under ``/api/v1``, documented by OpenAPI at ``/api/openapi.json``."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.routing import APIRoute

from bedside.services.sharing import READS
from bedside.web.api import (
    activity,
    docs,
    doses,
    exports,
    products,
    profile,
    report,
    session,
    sharing,
    sleep,
    studies,
    symptoms,
)
from bedside.web.api import analysis as analysis_api
from bedside.web.api import safety as safety_api
from bedside.web.auth import is_own_account
from bedside.web.problems import FORBIDDEN_RESPONSES, PROBLEM_RESPONSES

PREFIX = "/api/v1"


def declare_forbidden(router: APIRouter) -> APIRouter:
    """Add 403 to the routes that can answer it: the changes a clinician may send for a person.

    A viewer's change, and a manager's outside the plan, are refused with 403 on every route
    that acts for the person (all but the routes about the signed-in account itself). It
    must run before the router is included (FastAPI copies the routes on inclusion).
    """
    for route in router.routes:
        if not isinstance(route, APIRoute) or not (route.methods or set()) - READS:
            continue
        if not is_own_account(PREFIX + route.path):
            route.responses.setdefault(403, FORBIDDEN_RESPONSES[403])
    return router


api_router = APIRouter()
_v1 = APIRouter(prefix=PREFIX, responses=PROBLEM_RESPONSES)
for _module in (profile, products, doses, symptoms, activity):
    _v1.include_router(declare_forbidden(_module.router))
for _router in (analysis_api.router, safety_api.router, sleep.router, exports.router):
    _v1.include_router(declare_forbidden(_router))
_v1.include_router(declare_forbidden(report.router))
_v1.include_router(session.router)
_v1.include_router(sharing.router)
_v1.include_router(studies.router)
api_router.include_router(_v1)
api_router.include_router(docs.router)

__all__ = ["api_router"]
