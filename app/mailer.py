"""Sending e-mail over SMTP (VERBETERBORD_SMTP_*): one connection per run of app.services.mail,
STARTTLS and login when the settings ask for them. What is sent, and when, is the service's."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from types import TracebackType
from urllib.parse import urlsplit

from app.config import Settings

TIMEOUT_SECONDS = 30


def sender_address(settings: Settings) -> str:
    """VERBETERBORD_MAIL_FROM, else verbeterbord@ the host of the base URL."""
    if settings.mail_from:
        return settings.mail_from
    host = urlsplit(settings.base_url).hostname or "localhost"
    return formataddr(("Verbeterbord", f"verbeterbord@{host}"))


def message(*, settings: Settings, to: str, subject: str, text: str, html: str) -> EmailMessage:
    """One e-mail with a plain-text and an HTML part, marked as sent by a machine (RFC 3834), so
    out-of-office replies stay away."""
    mail = EmailMessage()
    mail["From"] = sender_address(settings)
    mail["To"] = to
    # a title with a line break must not become a second header
    mail["Subject"] = " ".join(subject.split())
    mail["Date"] = formatdate(localtime=False)
    host = urlsplit(settings.base_url).hostname or "verbeterbord"
    mail["Message-ID"] = make_msgid(domain=host)
    mail["Auto-Submitted"] = "auto-generated"
    mail["X-Auto-Response-Suppress"] = "All"  # Exchange's way of saying the same
    mail.set_content(text)
    mail.add_alternative(html, subtype="html")
    return mail


class SmtpSender:
    """An SMTP connection for one run: `with SmtpSender(settings) as send: send(message)`. It
    connects at the first message, so a run with nothing to send opens no connection."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS)
        try:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def __call__(self, mail: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(mail)
        except smtplib.SMTPServerDisconnected:
            # a server that closed an idle connection: once more on a new one
            self.close()
            self._smtp = self._connect()
            self._smtp.send_message(mail)

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None
