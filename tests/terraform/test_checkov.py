"""Checkov over terraform/ with zero failed checks; every skip is inline and carries a reason.

Checkov exits 0 on files it cannot parse, so this test also demands zero parsing errors and
that every module and environment actually shows up in the results (test_terraform_engine.py
parses the same files with Terraform itself).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from tf_checks import REPORT
from tf_config import tf_files
from tf_tools import CHECKOV, TERRAFORM_ROOT, Run, config_dirs, copy_tree, rel, run

CHECKOV_TIMEOUT_S = 300
# Building checkov's venv on a fresh machine plus the scan can outlast the default 300 s.
pytestmark = pytest.mark.timeout(CHECKOV_TIMEOUT_S + 660)
_SKIP_COMMENT = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)(?::(.*))?$")


@pytest.fixture(scope="module")
def checkov(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, dict[str, Any]]:
    CHECKOV.ensure()
    scanned = copy_tree(tmp_path_factory.mktemp("checkov"))
    env = {
        **os.environ,
        # No update check against PyPI, no platform download: the scan stays offline.
        "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
        "BC_SKIP_MAPPING": "TRUE",
    }
    env.pop("BC_API_KEY", None)
    result = run(
        [
            str(CHECKOV.script("checkov")),
            "--directory",
            str(scanned),
            "--framework",
            "terraform",
            "--skip-download",
            "--output",
            "json",
            "--compact",
        ],
        cwd=scanned,
        env=env,
        timeout=CHECKOV_TIMEOUT_S,
    )
    assert result.returncode in (0, 1), result.describe()
    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    terraform_reports = [r for r in reports if r.get("check_type") == "terraform"]
    assert len(terraform_reports) == 1, f"unexpected checkov output: {result.stdout[:2000]}"
    summary = terraform_reports[0]["summary"]
    REPORT.add(
        f"[scanner] checkov {CHECKOV.version} --skip-download over terraform/: "
        f"{summary['passed']} passed, {summary['failed']} failed, {summary['skipped']} skipped "
        f"(inline, with reasons), {summary['parsing_errors']} parsing errors "
        f"({result.seconds:.0f}s)"
    )
    return result, terraform_reports[0]


def test_no_failed_checks(checkov: tuple[Run, dict[str, Any]]) -> None:
    _, report = checkov
    failed = [
        f"{c['check_id']} {c['resource']} ({c['file_path']}:{c['file_line_range'][0]}): {c['check_name']}"
        for c in report["results"]["failed_checks"]
    ]
    assert report["summary"]["failed"] == 0 and not failed, "\n".join(failed)


def test_checkov_parsed_every_root(checkov: tuple[Run, dict[str, Any]]) -> None:
    _, report = checkov
    assert report["summary"]["parsing_errors"] == 0, report["results"].get("parsing_errors")
    results = report["results"]
    # A root with resources shows up as the file of a result; a root that only calls modules
    # (modules/stack) as the caller of results checkov got by evaluating those calls.
    seen = {
        Path(path.lstrip("/")).parts[:2]
        for key in ("passed_checks", "skipped_checks")
        for c in results[key]
        for path in (c["file_path"], c.get("caller_file_path") or "")
        if path
    }
    expected = {tuple(rel(d).split("/")) for d in config_dirs()}
    missing = sorted("/".join(p) for p in expected - seen)
    assert not missing, f"checkov produced no result for: {missing}"
    assert report["summary"]["passed"] > 100


def test_every_skip_is_inline_with_a_reason(checkov: tuple[Run, dict[str, Any]]) -> None:
    _, report = checkov
    for check in report["results"]["skipped_checks"]:
        comment = (check.get("check_result") or {}).get("suppress_comment") or ""
        assert len(comment.strip()) >= 20, (
            f"{check['check_id']} on {check['resource']} is skipped without a real reason: {comment!r}"
        )


def test_skip_comments_are_well_formed() -> None:
    """Every `#checkov:skip=` in the tree names one check and explains itself."""
    found = 0
    for path in tf_files():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if "checkov:skip" not in line:
                continue
            match = _SKIP_COMMENT.search(line.strip())
            where = f"{path.relative_to(TERRAFORM_ROOT)}:{number}"
            assert match, f"malformed checkov skip at {where}: {line.strip()}"
            assert match.group(2) and len(match.group(2).strip()) >= 20, f"no reason at {where}"
            found += 1
    assert found > 0
