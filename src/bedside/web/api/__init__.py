"""The JSON API under ``/api/v1``, documented by OpenAPI at ``/api/openapi.json``."""

from __future__ import annotations

from fastapi import APIRouter

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
from bedside.web.problems import PROBLEM_RESPONSES

api_router = APIRouter()
_v1 = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)
for _module in (profile, products, doses, symptoms, activity):
    _v1.include_router(_module.router)
_v1.include_router(analysis_api.router)
_v1.include_router(safety_api.router)
_v1.include_router(sleep.router)
_v1.include_router(exports.router)
_v1.include_router(report.router)
_v1.include_router(session.router)
_v1.include_router(sharing.router)
_v1.include_router(studies.router)
api_router.include_router(_v1)
api_router.include_router(docs.router)

__all__ = ["api_router"]
