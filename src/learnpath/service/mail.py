"""Sending email over SMTP (standard library ``smtplib`` and ``email``), configured by the ``smtp_*`` settings.

``mailer_from(settings)`` is None when no SMTP host is set: emails are then simply not sent (everything
learnpath emails is also shown in the app). One :class:`SmtpMailer` keeps one connection open while it is
used as a context manager.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from types import TracebackType
from typing import Protocol

from learnpath.errors import ValidationError
from learnpath.settings import Settings

__all__ = ["MailError", "Mailer", "SmtpMailer", "build_message", "mailer_from"]


class MailError(Exception):
    """An email could not be sent (the server refused it or could not be reached)."""


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


def build_message(
    sender: str, to: str, subject: str, text: str, html: str, *, to_name: str = "", lang: str = "en"
) -> EmailMessage:
    """A multipart/alternative message: plain text first, HTML second."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((to_name, to)) if to_name else to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = lang  # after the content: set_content clears Content-* headers
    return message


class SmtpMailer:
    """Sends through one SMTP server (STARTTLS and login when configured)."""

    def __init__(
        self,
        host: str,
        port: int = 587,
        user: str = "",
        password: str = "",
        starttls: bool = True,
        sender: str = "",
        timeout_s: float = 30.0,
    ) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.starttls, self.sender, self.timeout_s = starttls, sender, timeout_s
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpMailer:
        try:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout_s)
            smtp.ehlo()
            if self.starttls:
                smtp.starttls()
                smtp.ehlo()
            if self.user:
                smtp.login(self.user, self.password)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"cannot use the SMTP server {self.host}:{self.port}: {exc}") from exc
        self._smtp = smtp
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def send(self, message: EmailMessage) -> None:
        if self._smtp is None:
            raise RuntimeError("use the mailer inside a 'with' block")
        try:
            refused = self._smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"the SMTP server did not take the email to {message['To']}: {exc}") from exc
        if refused:
            raise MailError(f"the SMTP server refused {', '.join(refused)}")


def mailer_from(settings: Settings) -> SmtpMailer | None:
    """The configured mailer, or None when ``LEARNPATH_SMTP_HOST`` is empty."""
    if not settings.smtp_host:
        return None
    if not settings.smtp_from:
        raise ValidationError.for_field(
            "LEARNPATH_SMTP_FROM", "set the sender address when LEARNPATH_SMTP_HOST is set"
        )
    return SmtpMailer(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_user,
        settings.smtp_password,
        settings.smtp_starttls,
        settings.smtp_from,
    )
