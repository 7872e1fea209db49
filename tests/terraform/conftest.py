"""tests/terraform: helper modules on sys.path, the once-per-session engine checks, and a
plain report of which check ran with which Terraform engine (printed at the end of the run).

pytest runs with --import-mode=importlib, which does not put a test's directory on sys.path,
so the helpers (tf_tools, tf_checks, tf_config) are made importable here.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest
from tf_checks import REPORT, EngineChecks, run_engine_checks


@pytest.fixture(scope="session")
def engine_checks(tmp_path_factory: pytest.TempPathFactory) -> EngineChecks:
    return run_engine_checks(tmp_path_factory.mktemp("terraform-engines"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if REPORT.lines:
        terminalreporter.section("Terraform and IaC checks: what ran, with which engine")
        for line in REPORT.lines:
            terminalreporter.write_line(line)
