"""The Settings page in one call: the profile, the sleep source priority, the account and
the state of the automatic backups."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from bedside.services.accounts import MyAccount, my_account
from bedside.services.backups import BackupStatusOut, backup_status
from bedside.services.profiles import get_profile
from bedside.services.profiles_schemas import ProfileOut
from bedside.services.scope import Scope
from bedside.services.sharing import SharingOverview, sharing_overview
from bedside.services.sleep_priority import SleepPriorityOut, get_priority
from bedside.settings import Settings

__all__ = ["SettingsOut", "settings_overview"]


class SettingsOut(BaseModel):
    """Everything the Settings page shows beside the profile form."""

    profile: ProfileOut
    priority: SleepPriorityOut
    account: MyAccount | None = Field(description="The signed-in account (server mode only).")
    backup: BackupStatusOut
    sharing: SharingOverview | None = Field(
        description="Who the person shares with and their audit log (server mode, own data)."
    )


def settings_overview(scope: Scope, settings: Settings, now: datetime) -> SettingsOut:
    """The person's profile, sleep source priority, account (server mode) and backups.

    The account and the sharing section belong to the signed-in person: someone acting for
    another person (a clinician) does not see them.
    """
    own_account = settings.server_mode and scope.actor is None
    return SettingsOut(
        profile=get_profile(scope),
        priority=get_priority(scope),
        account=my_account(scope.session, scope.user.id) if own_account else None,
        backup=backup_status(settings, now),
        sharing=sharing_overview(scope.session, scope.user.id) if own_account else None,
    )
