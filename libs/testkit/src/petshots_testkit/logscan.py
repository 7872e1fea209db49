"""No secret in any log line: every line the services emit is kept, every secret tests see is
registered, and the session ends with a scan of one against the other.

Capture is at the logging layer, where the services' output is rendered (not pytest's
stdout capture): ``structlog.PrintLogger`` prints every structlog line (``configure_logging``
uses ``PrintLoggerFactory``), ``structlog.stdlib.ProcessorFormatter`` renders every stdlib
record through the services' root handler, and uvicorn's formatters render the lines of
servers run in a thread. The tap records the rendered text and lets it through unchanged.

Secrets register themselves as they cross the test clients (httpx): bearer tokens, tokens
and SRP values in JSON bodies, passwords sent, presigned URL signatures and passport links
received. E-mail codes and unsubscribe links register when the SMTP sink writes a message.
Tests add anything else with :func:`secret_registry`.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest


class Kind(enum.StrEnum):
    TOKEN = "token"  # access, id, refresh and CAPTCHA tokens, forged ones too
    PASSWORD = "password"
    SRP = "srp"  # SRP_A, SRP_B, SECRET_BLOCK, the login session, the password claim signature
    CODE = "code"  # e-mailed confirmation and reset codes
    SIGNATURE = "signature"  # X-Amz-Signature of presigned URLs and upload policies
    PASSPORT = "passport"  # passport link tokens
    LINK = "link"  # signed e-mail links (unsubscribe)


# Shorter values are not distinctive enough to look for (a test's "x" refresh token).
_MIN_LENGTH = {
    Kind.TOKEN: 16,
    Kind.PASSWORD: 8,
    Kind.SRP: 16,
    Kind.SIGNATURE: 32,
    Kind.PASSPORT: 22,
    Kind.LINK: 16,
}
_CODE = re.compile(r"^[0-9]{6}$")
# Where a 6-digit code could appear by chance in a log line: timestamps and decimals.
_NUMERIC_NOISE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?|\d+\.\d+")
_SIX_DIGITS = re.compile(r"(?<![0-9A-Za-z])[0-9]{6}(?![0-9A-Za-z])")

JSON_KEYS = {
    "access_token": Kind.TOKEN,
    "id_token": Kind.TOKEN,
    "refresh_token": Kind.TOKEN,
    "captcha_token": Kind.TOKEN,
    "password": Kind.PASSWORD,
    "new_password": Kind.PASSWORD,
    "srp_a": Kind.SRP,
    "SRP_A": Kind.SRP,
    "SRP_B": Kind.SRP,
    "SECRET_BLOCK": Kind.SRP,
    "secret_block": Kind.SRP,
    "session": Kind.SRP,
    "signature": Kind.SRP,
    "code": Kind.CODE,
    "x-amz-signature": Kind.SIGNATURE,
    "X-Amz-Signature": Kind.SIGNATURE,
}
_PASSPORT_URL = re.compile(r"/p/([A-Za-z0-9_-]{22,})")
_UNSUBSCRIBE_T = re.compile(r"[?&]t=([A-Za-z0-9._~%-]{16,})")


@dataclass(frozen=True, slots=True)
class Leak:
    kind: Kind
    secret: str
    line: str

    def describe(self) -> str:
        """The kind, the secret's first characters and the line with the secret masked: a
        report of a leak must not leak it again into CI output."""
        shown = f"{self.secret[:6]}…" if len(self.secret) > 6 else "••••••"
        line = self.line.replace(self.secret, f"[{self.kind}]")
        return f"{self.kind} {shown!r} in: {line[:300]}"


@dataclass
class SecretRegistry:
    """Every secret the session created or saw, by kind."""

    secrets: dict[str, Kind] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: Kind, value: object) -> None:
        if not isinstance(value, str):
            return
        value = value.strip()
        if kind is Kind.CODE:
            if not _CODE.match(value):
                return
        elif len(value) < _MIN_LENGTH[kind]:
            return
        with self._lock:
            self.secrets.setdefault(value, kind)

    def add_url(self, url: str) -> None:
        """Signatures and passport tokens inside a URL (presigned GET, passport link)."""
        if "X-Amz-Signature=" in url or "Signature=" in url:
            for name, values in parse_qs(urlsplit(url).query).items():
                if name.lower() in ("x-amz-signature", "signature"):
                    for value in values:
                        self.add(Kind.SIGNATURE, value)
        for token in _PASSPORT_URL.findall(url):
            self.add(Kind.PASSPORT, token)

    def add_json(self, value: object) -> None:
        """Walk a decoded JSON document for secret-named fields and secret-bearing URLs."""
        if isinstance(value, dict):
            for key, item in value.items():
                kind = JSON_KEYS.get(str(key))
                if kind is not None:
                    self.add(kind, item)
                self.add_json(item)
        elif isinstance(value, list):
            for item in value:
                self.add_json(item)
        elif isinstance(value, str) and ("://" in value or value.startswith("/p/")):
            self.add_url(value)

    def by_kind(self) -> dict[Kind, int]:
        counts: dict[Kind, int] = {}
        for kind in self.secrets.values():
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    def scan(self, lines: list[str]) -> list[Leak]:
        """Every (secret, first line holding it) pair; codes only as whole 6-digit numbers."""
        if not lines:
            return []
        blob = "\n".join(lines)
        with self._lock:
            secrets = dict(self.secrets)
        leaked: list[tuple[str, Kind]] = [
            (s, k) for s, k in secrets.items() if k is not Kind.CODE and s in blob
        ]
        codes = {s for s, k in secrets.items() if k is Kind.CODE}
        if codes:
            found = set(_SIX_DIGITS.findall(_NUMERIC_NOISE.sub(" ", blob)))
            leaked += [(code, Kind.CODE) for code in sorted(found & codes)]
        leaks = []
        for secret, kind in leaked:
            line = next((ln for ln in lines if secret in ln), "")
            leaks.append(Leak(kind, secret, line))
        return leaks


@dataclass
class LogTap:
    """The rendered text of every log line emitted while installed."""

    lines: list[str] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)
    _undo: list[Callable[[], None]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, source: str, text: object) -> None:
        with self._lock:
            self.lines.append(str(text))
            self.sources[source] = self.sources.get(source, 0) + 1

    def extend(self, source: str, texts: Iterable[str]) -> None:
        for text in texts:
            self.add(source, text)

    @contextlib.contextmanager
    def excluded(self) -> Iterator[list[str]]:
        """Lines emitted inside the block are handed to the caller and dropped from the tap
        (for a deliberate canary: proving the tap works without failing the session)."""
        with self._lock:
            start = len(self.lines)
        taken: list[str] = []
        try:
            yield taken
        finally:
            with self._lock:
                taken.extend(self.lines[start:])
                del self.lines[start:]

    def install(self) -> None:
        # structlog is imported here, not at module level: it binds ``sys.stdout`` when first
        # imported, and this plugin module loads before pytest starts capturing output (the
        # services' tests read their logs with capsys).
        import structlog

        if self._undo:
            return
        self._tap_structlog()
        self._tap_formatter(structlog.stdlib.ProcessorFormatter, "stdlib")
        with contextlib.suppress(ImportError):
            from uvicorn.logging import ColourizedFormatter

            self._tap_formatter(ColourizedFormatter, "uvicorn")

    def uninstall(self) -> None:
        while self._undo:
            self._undo.pop()()

    def _tap_structlog(self) -> None:
        import structlog

        cls = structlog.PrintLogger
        original = cls.msg
        tap = self

        @functools.wraps(original)
        def msg(logger: Any, message: str) -> None:
            tap.add("structlog", message)
            original(logger, message)

        names = [n for n in dir(cls) if getattr(cls, n, None) is original]
        for name in names:
            setattr(cls, name, msg)

        def undo() -> None:
            for name in names:
                setattr(cls, name, original)

        self._undo.append(undo)

    def _tap_formatter(self, cls: type[Any], source: str) -> None:
        had_own = "format" in cls.__dict__
        original = cls.format
        tap = self

        @functools.wraps(original)
        def format(formatter: Any, record: Any) -> str:
            text: str = original(formatter, record)
            # werkzeug is pytest-httpserver: stand-ins for other parties' servers (an upstream
            # behind the test edge, a JWKS host), not a Petshots service's log.
            if not str(getattr(record, "name", "")).startswith("werkzeug"):
                tap.add(source, text)
            return text

        cls.format = format

        def undo() -> None:
            if had_own:
                cls.format = original
            else:
                del cls.format

        self._undo.append(undo)


# -- automatic registration: what crosses the test clients and the SMTP sink -----------------


def _register_request(registry: SecretRegistry, request: httpx.Request) -> None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        registry.add(Kind.TOKEN, credentials)
    registry.add_url(str(request.url))
    if request.headers.get("content-type", "").startswith("application/json"):
        with contextlib.suppress(ValueError, httpx.RequestNotRead):
            registry.add_json(json.loads(request.content or b"null"))


def _register_response(registry: SecretRegistry, response: httpx.Response) -> None:
    location = response.headers.get("location")
    if location:
        registry.add_url(location)
    if not response.headers.get("content-type", "").startswith("application/json"):
        return
    with contextlib.suppress(ValueError, httpx.ResponseNotRead):
        if len(response.content) <= 1_000_000:
            registry.add_json(response.json())


def _tap_httpx(registry: SecretRegistry) -> Callable[[], None]:
    async_send = httpx.AsyncClient.send
    sync_send = httpx.Client.send

    @functools.wraps(async_send)
    async def send_async(client: httpx.AsyncClient, request: httpx.Request, **kw: Any) -> Any:
        _register_request(registry, request)
        response = await async_send(client, request, **kw)
        _register_response(registry, response)
        return response

    @functools.wraps(sync_send)
    def send_sync(client: httpx.Client, request: httpx.Request, **kw: Any) -> Any:
        _register_request(registry, request)
        response = sync_send(client, request, **kw)
        _register_response(registry, response)
        return response

    httpx.AsyncClient.send = send_async  # type: ignore[method-assign,assignment]
    httpx.Client.send = send_sync  # type: ignore[method-assign,assignment]

    def undo() -> None:
        httpx.AsyncClient.send = async_send  # type: ignore[method-assign]
        httpx.Client.send = sync_send  # type: ignore[method-assign]

    return undo


def register_mail(registry: SecretRegistry, raw: bytes) -> None:
    """Codes from code e-mails, signed links from any e-mail."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else ""
    headers = " ".join(str(v) for v in message.values())
    for token in _UNSUBSCRIBE_T.findall(text + " " + headers):
        registry.add(Kind.LINK, token)
    if "code" in str(message["Subject"]).lower() or "password" in str(message["Subject"]).lower():
        for code in re.findall(r"(?<![0-9])[0-9]{6}(?![0-9])", text):
            registry.add(Kind.CODE, code)


def _tap_mail_sink(registry: SecretRegistry) -> Callable[[], None]:
    try:
        from petshots_devstack.smtp_sink import MailDirWriter
    except ImportError:  # pragma: no cover - devstack is a testkit dependency
        return lambda: None
    original = MailDirWriter.write

    @functools.wraps(original)
    def write(writer: MailDirWriter, message: bytes) -> Any:
        with contextlib.suppress(Exception):
            register_mail(registry, message)
        return original(writer, message)

    MailDirWriter.write = write  # type: ignore[method-assign,assignment]

    def undo() -> None:
        MailDirWriter.write = original  # type: ignore[method-assign]

    return undo


# -- the session-wide instances and the pytest plugin ------------------------------------------

_TAP = LogTap()
_REGISTRY = SecretRegistry()


def log_tap() -> LogTap:
    return _TAP


def secret_registry() -> SecretRegistry:
    return _REGISTRY


class SecretsInLogs:
    """Installs the taps at start-up; at the end, fails the session if a secret was logged."""

    def __init__(self, tap: LogTap = _TAP, registry: SecretRegistry = _REGISTRY) -> None:
        self.tap = tap
        self.registry = registry
        self.leaks: list[Leak] = []
        self._undo: list[Callable[[], None]] = []

    def pytest_configure(self, config: pytest.Config) -> None:
        self.tap.install()
        self._undo = [_tap_httpx(self.registry), _tap_mail_sink(self.registry)]

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        self.tap.uninstall()
        while self._undo:
            self._undo.pop()()

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self.leaks = self.registry.scan(self.tap.lines)
        if self.leaks:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.leaks and not self.registry.secrets:
            return
        terminalreporter.section("secrets in logs")
        counts = ", ".join(f"{n} {k}" for k, n in sorted(self.registry.by_kind().items()))
        terminalreporter.write_line(
            f"scanned {len(self.tap.lines)} log lines ({self.tap.sources}) for "
            f"{len(self.registry.secrets)} secrets ({counts})"
        )
        if not self.leaks:
            terminalreporter.write_line("no secret appears in any log line")
        for leak in self.leaks:
            terminalreporter.write_line(f"LEAK: {leak.describe()}", red=True)
