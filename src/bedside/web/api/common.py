"""What every API route needs: the person's scope, id and night-range parameters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated

from fastapi import Path, Query, Request
from pydantic import BeforeValidator
from starlette.responses import Response

from bedside.domain.timekeeping import FIRST_DATE, LAST_DATE
from bedside.services.runtime import Bedside
from bedside.services.scope import Scope
from bedside.web.auth import acting_of, user_id_of

MAX_ID = 2**63 - 1
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date_only(value: object) -> object:
    """Accept a night only as ``YYYY-MM-DD``: ``0`` or ``1700000000`` are not dates.

    (Pydantic would read a number as seconds since 1970.)
    """
    if isinstance(value, str) and not ISO_DATE.match(value):
        raise ValueError("write the date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(iso_date_only)]

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="The entry's id.")]
From = Annotated[
    IsoDate | None,
    Query(
        alias="from",
        ge=FIRST_DATE,
        le=LAST_DATE,
        description="First night (YYYY-MM-DD, the evening's date), inclusive.",
    ),
]
To = Annotated[
    IsoDate | None,
    Query(
        alias="to", ge=FIRST_DATE, le=LAST_DATE, description="Last night (YYYY-MM-DD), inclusive."
    ),
]
Night = Annotated[
    IsoDate | None,
    Query(ge=FIRST_DATE, le=LAST_DATE, description="Another night than tonight (YYYY-MM-DD)."),
]


@contextmanager
def api_scope(request: Request) -> Iterator[Scope]:
    """The person's scope in one transaction, committed before the response is sent."""
    bedside: Bedside = request.app.state.bedside
    with bedside.scope(user_id_of(request.scope), acting_of(request.scope)) as scope:
        # The session holds rows weakly: keeping the profile referenced here saves a query
        # each time a service reads the person's time zone.
        profile = scope.profile  # noqa: F841
        yield scope


def no_content() -> Response:
    """The answer to a successful DELETE."""
    return Response(status_code=204)
