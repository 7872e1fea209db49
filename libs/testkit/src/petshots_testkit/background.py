"""A test script run in a process of its own while the suite goes on (CPU-bound work on the
second core), handing back a JSON report and the log lines it produced.

The child writes its log lines (captured with ``LogTap``) and the secrets it saw to files;
``result()`` feeds both into the session's log tap and secret registry, so the end-of-session
scan covers the child's logs as if they had been emitted here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from petshots_testkit.logscan import Kind, log_tap, secret_registry


class BackgroundRun:
    def __init__(self, name: str, script: Path, config: dict[str, Any], workdir: Path) -> None:
        self.name = name
        workdir.mkdir(parents=True, exist_ok=True)
        self.report_path = workdir / f"{name}.report.json"
        self.logs_path = workdir / f"{name}.log"
        self.stderr_path = workdir / f"{name}.stderr"
        config_path = workdir / f"{name}.config.json"
        full = {**config, "report": str(self.report_path), "logs": str(self.logs_path)}
        # The config carries a signing key: readable by this user only.
        config_path.touch(mode=0o600)
        config_path.write_text(json.dumps(full, default=_plain))
        self._stderr = self.stderr_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, str(script), str(config_path)],
            stdout=subprocess.DEVNULL,  # the services' stdout logs: captured by the child's tap
            stderr=self._stderr,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self._report: dict[str, Any] | None = None

    def result(self, timeout: float) -> dict[str, Any]:
        if self._report is not None:
            return self._report
        try:
            code = self.process.wait(timeout=timeout)
        finally:
            self._stderr.close()
        if code != 0:
            tail = self.stderr_path.read_text(errors="replace")[-4000:]
            raise RuntimeError(f"{self.name} exited with {code}:\n{tail}")
        report: dict[str, Any] = json.loads(self.report_path.read_text())
        lines = self.logs_path.read_text().splitlines() if self.logs_path.exists() else []
        log_tap().extend(f"worker:{self.name}", lines)
        registry = secret_registry()
        for token in report.get("tokens", []):
            registry.add(Kind.TOKEN, token)
        for value, kind in report.get("secrets", {}).items():
            registry.add(Kind(kind), value)
        self._report = report
        return report

    @property
    def report(self) -> dict[str, Any] | None:
        """The report, once :meth:`result` has read it."""
        return self._report

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        if not self._stderr.closed:
            self._stderr.close()


def _plain(value: object) -> object:
    secret = getattr(value, "get_secret_value", None)
    if callable(secret):
        return secret()
    return str(value)
