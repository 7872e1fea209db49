"""The proof that each environment's state moves into modules/stack: what it runs on, written
at test time, and how to read what Terraform printed.

Nothing of it is kept per environment in the repository. tf_checks gives each environment's
temporary copy a ``tests/migration`` directory holding:

* the test file and ``forget/`` from terraform/tests/migration, the same for every environment;
* ``pre-stack/``: the environment's root as it was at PRE_STACK_COMMIT, read from git history
  (every .tf file but the backend), with its module sources three directories deeper;
* ``without-one-move/``: the current root without the moved block of LEFT_OUT, on which the
  same checks must fail.

A clone without that commit (a shallow one) cannot prove the move: PreStackUnavailable names
the commit, and the tests fail on it instead of skipping.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tf_tools import REPO, TERRAFORM_ROOT, Run

# The last commit whose environments wired the modules themselves: their state in the real
# accounts was written by that wiring.
PRE_STACK_COMMIT = "489cbb23306d076fb09cc06026d64668d1a271e5"
SHARED = TERRAFORM_ROOT / "tests" / "migration"
MIGRATION_TESTS = "tests/migration"  # in an environment's temporary copy
# The call whose moved block without-one-move/ lacks. Its resources carry no prevent_destroy,
# so the plan completes and shows the destroy-and-create a lost move means; with one,
# Terraform would refuse the plan before the checks could look at it.
LEFT_OUT = "email"

APPLIED_BY = "pre_stack"  # the run names in moved_into_stack.tftest.hcl
PLANNED_BY = "stack_over_pre_stack_state"
PLANNED_WITHOUT_ONE_MOVE = "stack_without_one_move"
FORGOTTEN_BY = "forget_the_mocked_state"
RUNS = (APPLIED_BY, PLANNED_BY, PLANNED_WITHOUT_ONE_MOVE, FORGOTTEN_BY)

_SOURCE = re.compile(r'^(\s*source\s*=\s*")\.\./\.\./modules/', re.MULTILINE)
_MOVED_BLOCK = re.compile(r"^moved \{\n  from = module\.(\w+)\n  to   = .*\n\}\n\n?", re.MULTILINE)


class PreStackUnavailable(RuntimeError):
    """The pre-stack wiring cannot be read from this clone's history."""


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    git = shutil.which("git")
    if git is None:
        raise PreStackUnavailable(
            f"git is not installed: the migration test reads the environments' pre-stack "
            f"wiring from commit {PRE_STACK_COMMIT}"
        )
    return subprocess.run(
        [git, *args], cwd=repo, capture_output=True, text=True, timeout=60, check=False
    )


def pre_stack_files(name: str, repo: Path = REPO) -> dict[str, str]:
    """envs/<name>'s .tf files at PRE_STACK_COMMIT, all but backend.tf (the copy is a module)."""
    if _git(repo, "cat-file", "-e", f"{PRE_STACK_COMMIT}^{{commit}}").returncode != 0:
        shallow = _git(repo, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
        raise PreStackUnavailable(
            f"commit {PRE_STACK_COMMIT} is not in the history of {repo}"
            f"{' (a shallow clone)' if shallow else ''}. The migration test reads each "
            "environment's wiring from before modules/stack (terraform/envs/<env>/*.tf) from "
            "it: fetch it (git fetch --unshallow, or clone with full history)."
        )
    listed = _git(repo, "ls-tree", "--name-only", PRE_STACK_COMMIT, f"terraform/envs/{name}/")
    paths = [
        p for p in listed.stdout.split() if p.endswith(".tf") and not p.endswith("/backend.tf")
    ]
    if listed.returncode != 0 or not paths:
        raise PreStackUnavailable(
            f"terraform/envs/{name} has no .tf files at {PRE_STACK_COMMIT} "
            f"({listed.stderr.strip() or 'it did not exist'}): an environment created after "
            "the move has no old state to migrate"
        )
    files: dict[str, str] = {}
    for path in paths:
        shown = _git(repo, "show", f"{PRE_STACK_COMMIT}:{path}")
        if shown.returncode != 0:
            raise PreStackUnavailable(f"git show {PRE_STACK_COMMIT}:{path}: {shown.stderr}")
        files[Path(path).name] = shown.stdout
    return files


def three_levels_deeper(text: str) -> str:
    """An environment's .tf text for a root in its tests/migration/<dir>."""
    return _SOURCE.sub(r"\g<1>../../../../../modules/", text)


def write_pre_stack(dest: Path, name: str, repo: Path = REPO) -> Path:
    dest.mkdir(parents=True)
    for file, text in pre_stack_files(name, repo).items():
        (dest / file).write_text(three_levels_deeper(text))
    return dest


def without_left_out_move(moved_tf: str) -> str:
    kept = _MOVED_BLOCK.sub(lambda m: "" if m.group(1) == LEFT_OUT else m.group(0), moved_tf)
    if moved_tf.count("\nmoved {") - kept.count("\nmoved {") != 1:
        raise ValueError(f"moved.tf has no single moved block from module.{LEFT_OUT}")
    return kept


def materialise(env_copy: Path, name: str, repo: Path = REPO) -> Path:
    """Write tests/migration into env_copy, a temporary copy of envs/<name>; its path."""
    if env_copy.resolve().is_relative_to(repo.resolve()):
        raise ValueError(
            f"{env_copy} is inside {repo}: the migration roots are never written there"
        )
    target = env_copy / MIGRATION_TESTS
    shutil.copytree(SHARED, target)
    write_pre_stack(target / "pre-stack", name, repo)
    variant = target / "without-one-move"
    variant.mkdir()
    for tf in env_copy.glob("*.tf"):
        if tf.name != "backend.tf":
            text = three_levels_deeper(tf.read_text())
            (variant / tf.name).write_text(
                without_left_out_move(text) if tf.name == "moved.tf" else text
            )
    return target


# --- what `terraform test -verbose` of tests/migration printed -----------------------------

_RUN_HEADER = re.compile(r'^  run "([^"]+)"\.\.\. (pass|fail|skip)$')
_STATE_HEADER = re.compile(r"^# (module\.\S+):$")
_MOVED = re.compile(r"^  # (\S+) has moved to (\S+)$")
_PLAN_SUMMARY = re.compile(r"^Plan: (\d+) to add, (\d+) to change, (\d+) to destroy\.$")
_ACTION = re.compile(r"^  # (\S+) (will be|must be|is tainted)")
_MOVED_AND_CHANGED = re.compile(r"^  # \(moved from (\S+)\)$")  # under its action line


@dataclass
class MigrationPlan:
    """One plan of the migration test over the pre-stack state.

    ``runs``: every run's status; ``applied``: the managed resources the pre-stack run left in
    state; ``moves``: the (from, to) addresses the plan moved; ``actions``: resources it would
    create, change, replace, destroy or read; ``summary``: its "Plan: ..." line, "No changes."
    or ""."""

    runs: dict[str, str]
    applied: set[str]
    moves: list[tuple[str, str]]
    actions: list[str]
    summary: str
    counts: tuple[int, int, int] | None

    @property
    def unmoved(self) -> set[str]:
        return self.applied - {old for old, _ in self.moves}


def _sections(stdout: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    statuses: dict[str, str] = {}
    lines: dict[str, list[str]] = {}
    current: str | None = None
    for line in stdout.splitlines():
        header = _RUN_HEADER.match(line)
        if header:
            current = header.group(1)
            statuses[current] = header.group(2)
            lines[current] = []
        elif current is not None:
            lines[current].append(line)
    return statuses, lines


def migration_plan(run: Run, planned_by: str = PLANNED_BY) -> MigrationPlan:
    statuses, lines = _sections(run.stdout)
    applied = {
        match.group(1)
        for line in lines.get(APPLIED_BY, [])
        if (match := _STATE_HEADER.match(line)) and ".data." not in match.group(1)
    }
    moves: list[tuple[str, str]] = []
    actions: list[str] = []
    summary = ""
    counts = None
    acted_on = ""
    for line in lines.get(planned_by, []):
        if moved := _MOVED.match(line):
            moves.append((moved.group(1), moved.group(2)))
        elif action := _ACTION.match(line):
            actions.append(line.strip())
            acted_on = action.group(1)
        elif (moved_too := _MOVED_AND_CHANGED.match(line)) and acted_on:
            moves.append((moved_too.group(1), acted_on))
        elif plan := _PLAN_SUMMARY.match(line):
            summary = line
            counts = (int(plan.group(1)), int(plan.group(2)), int(plan.group(3)))
        elif line.startswith("No changes."):
            summary = line
            counts = (0, 0, 0)
    return MigrationPlan(statuses, applied, moves, actions, summary, counts)


def proof_problems(plan: MigrationPlan) -> list[str]:
    """Why this plan does not show a clean move of the pre-stack state; [] when it does: every
    resource moved to module.stack.<its old address>, and nothing else happens."""
    problems: list[str] = []
    if plan.counts != (0, 0, 0):
        problems.append(plan.summary or "no plan summary")
    if plan.actions:
        problems.append("the plan would touch resources:\n  " + "\n  ".join(plan.actions))
    if plan.unmoved:
        problems.append(f"resources of the old state that did not move: {sorted(plan.unmoved)}")
    wrong = [(old, new) for old, new in plan.moves if new != f"module.stack.{old}"]
    if wrong:
        problems.append(f"moved somewhere else than module.stack.<old address>: {wrong}")
    return problems
