"""The move of every environment's wiring into modules/stack, checked from the HCL (no engine):
each module call of the pre-stack root (read from git history) has a `moved` block to the same
call inside module.stack, the stack calls the same module with the same inputs, and the
migration test's material is written where it claims, from what it claims. test_terraform_engine
proves the same with a real plan over a mocked apply of the old wiring, where the AWS provider
is at hand.

Also here: every Terraform test file stays on mock providers, because tests/migration applies,
and the mock data they share (terraform/tests/mocks/aws) is found from where each one runs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tf_config import Config, env, expr, load, module
from tf_migration import (
    LEFT_OUT,
    MIGRATION_TESTS,
    PRE_STACK_COMMIT,
    SHARED,
    PreStackUnavailable,
    materialise,
    pre_stack_files,
    write_pre_stack,
)
from tf_tools import REPO, TERRAFORM_ROOT, copy_tree, env_dirs, rel

ENVS = [d.name for d in env_dirs()]
# The mock data every Terraform test shares (mock_provider "aws" { source = ... }).
SHARED_MOCKS = TERRAFORM_ROOT / "tests" / "mocks" / "aws"
_TOP_BLOCK = re.compile(r"^(\w+)(?: \"([^\"]+)\")? \{(\})?$")
_MOCK_SOURCE = re.compile(r'^  source\s*=\s*"([^"]*)"$', re.MULTILINE)
_INLINE_MOCK = re.compile(r'^  (mock_data|mock_resource) "([^"]+)" \{$', re.MULTILINE)
_MOCK_FILE_BLOCKS = {"mock_data", "mock_resource", "override_resource", "override_data"}


def _pre_stack(name: str, tmp_path: Path) -> Config:
    try:
        return load(write_pre_stack(tmp_path / "pre-stack", name))
    except PreStackUnavailable as exc:
        pytest.fail(str(exc))


def _addresses(config: Config, kind: str) -> list[tuple[str, str]]:
    return [(expr(b.get("from")), expr(b.get("to", ""))) for b in config.of(kind)]


@pytest.mark.parametrize("name", ENVS)
def test_every_pre_stack_module_call_moves_to_the_same_call_in_the_stack(
    name: str, tmp_path: Path
) -> None:
    old = _pre_stack(name, tmp_path)
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
def test_the_migration_test_forgets_exactly_what_it_applied(name: str, tmp_path: Path) -> None:
    """The last run of tests/migration drops the mocked state (prevent_destroy would fail the
    clean-up) and must not destroy anything doing so."""
    forget = load(SHARED / "forget")
    assert not forget.resources() and not forget.modules()
    removed = forget.of("removed")
    assert {expr(b.get("from")) for b in removed} == {
        f"module.{call}" for call in _pre_stack(name, tmp_path).modules()
    }
    for block in removed:
        assert block.lifecycle().get("destroy") is False, block.get("from")


def _shown(path: str) -> str:
    git = shutil.which("git")
    assert git is not None, "git is not installed: cannot read the pre-stack commit"
    return subprocess.run(
        [git, "show", f"{PRE_STACK_COMMIT}:{path}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.parametrize("name", ENVS)
def test_the_migration_roots_are_written_outside_the_tree_from_what_they_stand_for(
    name: str, tmp_path: Path
) -> None:
    """pre-stack/ stands for the state in the real account: the environment at
    PRE_STACK_COMMIT, every file but the backend, only the module sources three directories
    deeper. without-one-move/ is the current root less one moved block. Both are written into
    a temporary copy, never into terraform/."""
    work = copy_tree(tmp_path) / "envs" / name
    try:
        target = materialise(work, name)
    except PreStackUnavailable as exc:
        pytest.fail(str(exc))
    assert not target.resolve().is_relative_to(REPO.resolve())
    pre_stack = target / "pre-stack"
    assert {p.name for p in pre_stack.iterdir()} == {
        "main.tf",
        "outputs.tf",
        "providers.tf",
        "variables.tf",
        "versions.tf",
    }
    for file in pre_stack.iterdir():
        kept = file.read_text()
        assert '"../../modules/' not in kept, rel(TERRAFORM_ROOT / "envs" / name / file.name)
        assert kept.replace('"../../../../../modules/', '"../../modules/') == _shown(
            f"terraform/envs/{name}/{file.name}"
        ), f"pre-stack/{file.name} is not envs/{name}/{file.name} at {PRE_STACK_COMMIT}"
    variant = load(target / "without-one-move")
    current = env(name)
    assert set(variant.modules()) == set(current.modules())
    assert _addresses(variant, "moved") == [
        move for move in _addresses(current, "moved") if move[0] != f"module.{LEFT_OUT}"
    ]
    assert len(_addresses(variant, "moved")) == len(_addresses(current, "moved")) - 1
    assert {p.name for p in target.iterdir()} == {
        "moved_into_stack.tftest.hcl",
        "forget",
        "pre-stack",
        "without-one-move",
    }
    with pytest.raises(ValueError, match="inside"):
        materialise(TERRAFORM_ROOT / "envs" / name, name)


def test_no_copies_of_the_old_wiring_are_kept_in_the_tree() -> None:
    """The migration test's material is one shared test file and forget/; the per-environment
    roots exist only while tests/terraform runs."""
    assert {rel(p) for p in SHARED.rglob("*") if p.is_file()} == {
        f"{MIGRATION_TESTS}/moved_into_stack.tftest.hcl",
        f"{MIGRATION_TESTS}/forget/main.tf",
    }
    for name in ENVS:
        assert not (TERRAFORM_ROOT / "envs" / name / MIGRATION_TESTS).exists(), name
    assert not [rel(p) for p in TERRAFORM_ROOT.rglob("pre-stack")]


def test_a_clone_without_the_pre_stack_commit_fails_naming_it(tmp_path: Path) -> None:
    """A shallow clone cannot prove the move: the migration test must say which commit it
    needs, not pass or skip without it."""
    git = shutil.which("git")
    assert git is not None, "git is not installed: the migration test needs it"
    clone = tmp_path / "shallow"
    subprocess.run(
        [git, "clone", "--quiet", "--depth=1", "--no-checkout", REPO.as_uri(), str(clone)],
        capture_output=True,
        check=True,
        timeout=120,
    )
    with pytest.raises(PreStackUnavailable, match=f"commit {PRE_STACK_COMMIT} .*shallow"):
        pre_stack_files(ENVS[0], clone)


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


def _roots_running(test_file: Path) -> list[Path]:
    """The roots `terraform test` runs a test file in (relative paths in it start there): its
    module or environment, or for the shared migration test (tf_migration copies it into each
    environment's tests/migration) every environment."""
    if test_file.is_relative_to(SHARED):
        return env_dirs()
    return [test_file.parent.parent]


def _shared_mocks() -> set[tuple[str, str]]:
    """(kind, type) of every mock_data and mock_resource of the shared mock files, which must
    hold mock data only (Terraform says so too, but only where the AWS provider is at hand)."""
    files = sorted(SHARED_MOCKS.glob("*.tfmock.hcl"))
    assert files, f"no shared mock data in {rel(SHARED_MOCKS)}"
    mocked: set[tuple[str, str]] = set()
    for path in files:
        blocks = _top_level_blocks(path.read_text())
        assert blocks, f"{rel(path)}: no blocks"
        others = sorted({kind for kind, _, _ in blocks} - _MOCK_FILE_BLOCKS)
        assert not others, f"{rel(path)}: {others} blocks in a mock data file"
        mocked |= {(kind, label) for kind, label, _ in blocks if kind.startswith("mock_")}
    return mocked


def test_terraform_tests_use_mock_providers_only() -> None:
    """Nothing under terraform/ tests against AWS. A run that uses another root (a `module`
    block) gets the real provider unless it is handed the mocks, so such runs must name their
    providers; every test file mocks every provider it configures. A mock provider that reads
    shared mock data finds it from every root the file runs in, and no test file repeats a
    default the shared data already gives."""
    shared = _shared_mocks()
    files = sorted(TERRAFORM_ROOT.rglob("*.tftest.hcl"))
    assert files
    for path in files:
        blocks = _top_level_blocks(path.read_text())
        where = rel(path)
        assert not [b for b in blocks if b[0] == "provider"], f"{where}: a real provider block"
        mocks = [body for kind, _, body in blocks if kind == "mock_provider"]
        assert mocks, f"{where}: no mock provider"
        for body in mocks:
            source = _MOCK_SOURCE.search(body)
            if source is not None:
                for root in _roots_running(path):
                    assert (root / source.group(1)).resolve() == SHARED_MOCKS.resolve(), (
                        f"{where}: mock source {source.group(1)!r} from {rel(root)} is not "
                        f"{rel(SHARED_MOCKS)}"
                    )
            repeated = sorted(set(_INLINE_MOCK.findall(body)) & shared)
            assert not repeated, f"{where} repeats shared mock data: {repeated}"
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
