"""A tiny local SMTP server for tests: it speaks enough SMTP for ``smtplib`` (EHLO, AUTH PLAIN, MAIL,
RCPT, DATA, RSET, NOOP, QUIT) and keeps every message it receives. Use it as a context manager::

    with LocalSmtpServer() as server:
        ...  # send to 127.0.0.1:server.port
    server.messages  # [email.message.EmailMessage, ...]
"""

from __future__ import annotations

import base64
import socketserver
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType

__all__ = ["LocalSmtpServer"]


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        owner = self.server.owner
        self._reply("220 localhost test SMTP")
        sender, recipients = "", list[str]()
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 AUTH PLAIN\r\n")
                self.wfile.flush()
            elif verb == "HELO":
                self._reply("250 localhost")
            elif verb == "AUTH":
                parts = line.split()
                creds = base64.b64decode(parts[2]).split(b"\0") if len(parts) > 2 else []
                owner.logins.append(tuple(c.decode() for c in creds[1:]))
                self._reply("235 authenticated")
            elif verb == "MAIL":
                sender, recipients = line.split(":", 1)[1].strip().split(" ")[0].strip("<>"), list[str]()
                self._reply("250 ok")
            elif verb == "RCPT":
                address = line.split(":", 1)[1].strip().strip("<>")
                if address in owner.refuse:
                    self._reply("550 no such mailbox")
                else:
                    recipients.append(address)
                    self._reply("250 ok")
            elif verb == "DATA":
                self._reply("354 end with .")
                data = bytearray()
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                message = message_from_bytes(bytes(data), policy=policy.default)
                assert isinstance(message, EmailMessage)
                owner.messages.append(message)
                owner.envelopes.append((sender, list(recipients)))
                self._reply("250 queued")
            elif verb in ("RSET", "NOOP"):
                self._reply("250 ok")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:
                self._reply("502 not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: LocalSmtpServer


class LocalSmtpServer:
    """An SMTP server on 127.0.0.1 at a free port, in a background thread."""

    def __init__(self, refuse: tuple[str, ...] = ()) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.logins: list[tuple[str, ...]] = []
        self.refuse = set(refuse)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LocalSmtpServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
