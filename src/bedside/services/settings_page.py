"""The Settings page in one call: the profile, the sleep source priority, the account and
the state of the automatic backups."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from bedside.services.accounts import MyAccount, my_account
from bedside.services.backups import BackupStatusOut, backup_status
from bedside.services.profiles import get_profile
from bedside.services.schemas import ProfileOut
from bedside.services.scope import Scope
from bedside.services.sleep_priority import SleepPriorityOut, get_priority
from bedside.settings import Settings

__all__ = ["SettingsOut", "settings_overview"]


class SettingsOut(BaseModel):
    """Everything the Settings page shows beside the profile form."""

    profile: ProfileOut
    priority: SleepPriorityOut
    account: MyAccount | None = Field(description="The signed-in account (server mode only).")
    backup: BackupStatusOut


def settings_overview(scope: Scope, settings: Settings, now: datetime) -> SettingsOut:
    """The person's profile, sleep source priority, account (server mode) and backups."""
    return SettingsOut(
        profile=get_profile(scope),
        priority=get_priority(scope),
        account=my_account(scope.session, scope.user.id) if settings.server_mode else None,
        backup=backup_status(settings, now),
    )
