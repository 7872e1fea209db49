"""The move of every environment's wiring into modules/stack, checked from the HCL (no engine):
each module call of the pre-stack root has a `moved` block to the same call inside
module.stack, the stack calls the same module with the same inputs, and the migration test's
fixtures are what they claim to be. test_terraform_engine proves the same with a real plan over
a mocked apply of the old wiring, where the AWS provider is at hand.

Also here: every Terraform test file stays on mock providers, because tests/migration applies.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tf_config import Config, env, expr, load, module
from tf_tools import REPO, TERRAFORM_ROOT, env_dirs, rel

# The last commit whose environments wired the modules themselves; tests/migration/pre-stack
# is a copy of each environment's main.tf and outputs.tf at that commit.
PRE_STACK_COMMIT = "489cbb23306d076fb09cc06026d64668d1a271e5"
ENVS = [d.name for d in env_dirs()]
_TOP_BLOCK = re.compile(r"^(\w+)(?: \"([^\"]+)\")? \{(\})?$")


def _migration(name: str) -> Path:
    return TERRAFORM_ROOT / "envs" / name / "tests" / "migration"


def _pre_stack(name: str) -> Config:
    return load(_migration(name) / "pre-stack")


def _addresses(config: Config, kind: str) -> list[tuple[str, str]]:
    return [(expr(b.get("from")), expr(b.get("to", ""))) for b in config.of(kind)]


@pytest.mark.parametrize("name", ENVS)
def test_every_pre_stack_module_call_moves_to_the_same_call_in_the_stack(name: str) -> None:
    old = _pre_stack(name)
    assert not old.resources() and not old.of("data"), "the old root had only module calls"
    old_calls = old.modules()
    assert len(old_calls) == 9, sorted(old_calls)
    moves = _addresses(env(name), "moved")
    assert len(moves) == len({source for source, _ in moves}), f"{name}: a call moved twice"
    assert {source for source, _ in moves} == {f"module.{call}" for call in old_calls}, (
        f"{name}: every old module call needs a moved block, and nothing else does"
    )
    stack_calls = module("stack").modules()
    for source, target in moves:
        call = source.removeprefix("module.")
        assert target == f"module.stack.module.{call}", f"{name}: {source} moves to {target}"
        # The same module, fed the same inputs: otherwise the move lands on something else.
        old_source = str(old_calls[call].get("source"))
        assert old_source.endswith(f"/modules/{call}"), old_source
        assert stack_calls[call].get("source") == f"../{call}", call
        # Every input it had; an extra one (the stack passes seconds_until_auto_pause to every
        # environment's database, prod's old call left it at the module's default) must leave
        # the plan unchanged, which the engine test shows.
        dropped = sorted(set(old_calls[call].body) - set(stack_calls[call].body))
        assert not dropped, f"{name}: the stack no longer sets module.{call}'s {dropped}"


@pytest.mark.parametrize("name", ENVS)
def test_the_migration_test_forgets_exactly_what_it_applied(name: str) -> None:
    """The last run of tests/migration drops the mocked state (prevent_destroy would fail the
    clean-up) and must not destroy anything doing so."""
    forget = load(_migration(name) / "forget")
    assert not forget.resources() and not forget.modules()
    removed = forget.of("removed")
    assert {expr(b.get("from")) for b in removed} == {
        f"module.{call}" for call in _pre_stack(name).modules()
    }
    for block in removed:
        assert block.lifecycle().get("destroy") is False, block.get("from")


@pytest.mark.parametrize("name", ENVS)
def test_the_pre_stack_fixture_is_the_old_wiring(name: str) -> None:
    """pre-stack/ stands for the state in the real account: it must stay what the environment
    was at PRE_STACK_COMMIT (only the module sources are three directories deeper)."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed: cannot read the pre-stack commit")
    fixture = _migration(name) / "pre-stack"
    for file in ("main.tf", "outputs.tf"):
        shown = subprocess.run(
            [git, "show", f"{PRE_STACK_COMMIT}:terraform/envs/{name}/{file}"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        if shown.returncode != 0:
            pytest.skip(f"{PRE_STACK_COMMIT} is not in this clone's history (shallow?)")
        expected = shown.stdout.replace(
            'source = "../../modules/', 'source = "../../../../../modules/'
        )
        # The copy starts with a comment paragraph of its own, then the file as it was.
        header, kept = (fixture / file).read_text().split("\n\n", 1)
        assert all(line.startswith("# ") for line in header.splitlines()), rel(fixture / file)
        assert kept == expected, f"{rel(fixture / file)} differs from envs/{name} then"
    for file in ("variables.tf", "providers.tf"):
        link = fixture / file
        assert link.is_symlink() and link.resolve() == (fixture.parents[2] / file).resolve(), (
            f"{rel(link)} must be the environment's own {file} (same inputs, same providers)"
        )


def _top_level_blocks(text: str) -> list[tuple[str, str, str]]:
    """(kind, label, body) of each top-level block of a .tftest.hcl file."""
    blocks: list[tuple[str, str, str]] = []
    current: tuple[str, str] | None = None
    body: list[str] = []
    for line in text.splitlines():
        if current is None:
            match = _TOP_BLOCK.match(line)
            if match and match.group(3):  # an empty one-liner: mock_provider "aws" {}
                blocks.append((match.group(1), match.group(2) or "", ""))
            elif match:
                current, body = (match.group(1), match.group(2) or ""), []
        elif line == "}":
            blocks.append((*current, "\n".join(body)))
            current = None
        else:
            body.append(line)
    return blocks


def test_terraform_tests_use_mock_providers_only() -> None:
    """Nothing under terraform/ tests against AWS. A run that uses another root (a `module`
    block) gets the real provider unless it is handed the mocks, so such runs must name their
    providers; every test file mocks every provider it configures."""
    files = sorted(TERRAFORM_ROOT.rglob("*.tftest.hcl"))
    assert files
    for path in files:
        blocks = _top_level_blocks(path.read_text())
        where = rel(path)
        assert not [b for b in blocks if b[0] == "provider"], f"{where}: a real provider block"
        assert [b for b in blocks if b[0] == "mock_provider"], f"{where}: no mock provider"
        for kind, label, body in blocks:
            if kind != "run":
                continue
            if re.search(r"^  module \{$", body, re.MULTILINE):
                assert re.search(r"^  providers = \{$", body, re.MULTILINE), (
                    f'{where}: run "{label}" uses another root without handing it the mocks'
                )
            command = re.search(r"^  command\s*=\s*(\w+)", body, re.MULTILINE)
            if command is None or command.group(1) == "apply":
                # Only the migration test applies (to mocks): it needs state to plan over.
                assert "tests/migration/" in where, f'{where}: run "{label}" applies'
