"""/me/mail-settings: the caller's own e-mail choices (the profile's E-mail section)."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import CurrentUser
from app.api.responses import errors
from app.deps import SessionDep
from app.models.mail import MailSettings, MailSettingsUpdate
from app.services import mail

router = APIRouter()


@router.get("/me/mail-settings", response_model=MailSettings, tags=["me"], responses=errors())
def read_mail_settings(user: CurrentUser) -> MailSettings:
    """Your e-mail choices: the weekday of the weekly digest (`digest_weekday`, 0 = Monday …
    6 = Sunday, sent at 07:00 Europe/Amsterdam; `null`: no digest) and whether mentions
    (@naam) and news about knelpunten are mailed (`mention_mail`)."""
    return mail.mail_settings_of(user)


@router.put(
    "/me/mail-settings", response_model=MailSettings, tags=["me"], responses=errors(403, 422, 503)
)
def update_mail_settings(
    data: MailSettingsUpdate, user: CurrentUser, session: SessionDep
) -> MailSettings:
    """Change your e-mail choices; both fields are required (`digest_weekday` may be `null`)."""
    return mail.update_mail_settings(session=session, user=user, data=data)
