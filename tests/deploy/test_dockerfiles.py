"""The Dockerfiles, read and linted (no Docker engine here): hadolint, every COPY and bind
mount refers to files the build context carries, every ``--package`` to a workspace member,
and the rules of issue 7 (multi-stage, cached dependency layer, pinned slim base, non-root,
no build tools in the final stage, HEALTHCHECK, a tuned ASGI server). The four Python images
come from one Dockerfile (deploy/service/Dockerfile); each is checked as compose builds it,
with its build arguments and target."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dockerfiles import (
    ALL_DOCKERFILES,
    EDGE_DOCKERFILE,
    REPO,
    SERVICE_IMAGES,
    Dockerfile,
    Image,
    context_files,
    dockerignore_rules,
    is_ignored,
)

from petshots_core.serve import SERVICES
from petshots_devstack.product_services import HTTP_SERVICES

HADOLINT_TIMEOUT_S = 60
"""Top-level directories a Dockerfile may name before they exist, and why."""

PYTHON_BASE = re.compile(r"^python:3\.11\.\d+-slim-bookworm$")
HTTP_BY_NAME = {s.upstream.value: s for s in HTTP_SERVICES}
SERVED_BY_NAME = {s.name: s for s in SERVICES}
WEB_COMMAND = 'exec petshots-serve "${PETSHOTS_WEB_SERVICE}" --port "${PETSHOTS_WEB_PORT}"'
IMAGE_IDS = [image.service for image in SERVICE_IMAGES]
EDGE = Dockerfile(EDGE_DOCKERFILE)


def ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(REPO)) for p in paths]


def workspace_members() -> dict[str, Path]:
    """Package name -> member directory, from the root pyproject's explicit members."""
    root = tomllib.loads((REPO / "pyproject.toml").read_text())
    members: dict[str, Path] = {}
    for member in root["tool"]["uv"]["workspace"]["members"]:
        pyproject = REPO / member / "pyproject.toml"
        if pyproject.is_file():
            members[tomllib.loads(pyproject.read_text())["project"]["name"]] = REPO / member
    return members


def locked_workspace_closure(package: str) -> set[str]:
    """``package`` and the workspace members it depends on, transitively, per uv.lock."""
    lock: dict[str, Any] = tomllib.loads((REPO / "uv.lock").read_text())
    by_name = {p["name"]: p for p in lock["package"]}
    members = set(workspace_members())
    seen: set[str] = set()
    todo = [package]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for dependency in by_name[name].get("dependencies", []):
            if dependency["name"] in members:
                todo.append(dependency["name"])
    return seen


@pytest.mark.parametrize("path", ALL_DOCKERFILES, ids=ids(ALL_DOCKERFILES))
def test_hadolint_is_clean(path: Path) -> None:
    hadolint = Path(sys.executable).parent / "hadolint"
    result = subprocess.run(
        [str(hadolint), "--format", "json", "--failure-threshold", "style", str(path)],
        capture_output=True,
        text=True,
        timeout=HADOLINT_TIMEOUT_S,
        check=False,
    )
    findings = json.loads(result.stdout or "[]")
    assert not findings and result.returncode == 0, json.dumps(findings, indent=1) + result.stderr


def test_compose_builds_each_python_image_from_the_one_dockerfile() -> None:
    assert IMAGE_IDS == ["auth", "passport", "records", "reminders"]
    for image in SERVICE_IMAGES:
        web = image.service in SERVED_BY_NAME
        assert image.dockerfile.target == ("web" if web else "worker"), image.service
        assert set(image.dockerfile.args) == ({"SERVICE", "PORT"} if web else {"SERVICE"})
        # Every build argument the image is given is declared where it is used.
        assert not image.dockerfile.undeclared_arguments(), image.service


@pytest.mark.parametrize(
    "dockerfile",
    [*(image.dockerfile for image in SERVICE_IMAGES), EDGE],
    ids=[*IMAGE_IDS, "edge"],
)
def test_every_context_source_exists_and_reaches_the_build_context(
    dockerfile: Dockerfile,
) -> None:
    rules = dockerignore_rules()
    for source in dockerfile.context_sources():
        assert (REPO / source).exists(), f"{dockerfile.path.name}: {source} does not exist"
        assert context_files(source, rules), f"{source} is left out by .dockerignore"
        if (REPO / source).is_file():
            assert not is_ignored(source, rules), source


def test_dockerignore_keeps_heavy_and_private_things_out() -> None:
    rules = dockerignore_rules()
    for left_out in (
        ".git/config", ".venv/bin/python", ".petshots/secrets/auth_secret", ".env",
        "services/records/tests/test_pets.py", "libs/core/src/petshots_core/__pycache__/x.pyc",
        "web/node_modules/react/index.js", "web/dist/index.html", "charts/petshots/values.yaml",
        "terraform/envs/prod/main.tf", "tests/deploy/test_chart.py", "docs/deploy.md",
    ):  # fmt: skip
        assert is_ignored(left_out, rules), left_out
    for kept in (
        "uv.lock", "pyproject.toml", "alembic.ini", "libs/core/pyproject.toml",
        "libs/core/src/petshots_core/settings.py", "services/records/src/petshots_records/app.py",
        "deploy/edge/nginx.conf", "web/package.json", "web/src/main.tsx",
    ):  # fmt: skip
        assert not is_ignored(kept, rules), kept


@pytest.mark.parametrize("image", SERVICE_IMAGES, ids=IMAGE_IDS)
def test_uv_packages_and_copied_members_match_the_workspace(image: Image) -> None:
    dockerfile = image.dockerfile
    members = workspace_members()
    packages = set(dockerfile.uv_packages())
    assert packages == {image.package}, packages
    package = image.package
    assert package in members, f"{package} is not a workspace member"
    assert members[package] == REPO / "services" / image.service, f"{package} of another directory"
    # The image copies exactly the workspace members the package needs, per uv.lock.
    expected = {str(members[name].relative_to(REPO)) for name in locked_workspace_closure(package)}
    copied = {s for s in dockerfile.context_sources() if s.startswith(("libs/", "services/"))}
    assert copied == expected


@pytest.mark.parametrize("image", SERVICE_IMAGES, ids=IMAGE_IDS)
def test_dependency_layer_is_cached_apart_from_the_code(image: Image) -> None:
    build = image.dockerfile.build
    runs = [i for i in build.instructions if i.keyword == "RUN" and "uv sync" in i.arguments]
    assert len(runs) == 2, "a dependency layer, then the workspace members"
    deps, members = runs
    for flag in ("--frozen", "--no-dev", "--no-install-workspace"):
        assert flag in deps.arguments
    assert "--frozen" in members.arguments and "--no-editable" in members.arguments
    order = build.instructions
    first_source_copy = next(
        n
        for n, i in enumerate(order)
        if i.keyword == "COPY" and any(w.startswith(("libs/", "services/")) for w in i.words())
    )
    assert order.index(deps) < first_source_copy < order.index(members)
    # The dependency layer sees only the lock and the root pyproject (bind mounts).
    mounts = deps.flags()["mount"]
    assert "source=uv.lock" in mounts and "source=pyproject.toml" in mounts
    assert "type=cache,target=/root/.cache/uv" in mounts


@pytest.mark.parametrize("image", SERVICE_IMAGES, ids=IMAGE_IDS)
def test_final_stage_is_slim_pinned_non_root_and_without_build_tools(image: Image) -> None:
    dockerfile = image.dockerfile
    assert len(dockerfile.built_stages()) >= 3, "uv, build and runtime stages"
    bases = {
        stage.base
        for stage in dockerfile.stages
        if stage.base not in {s.name for s in dockerfile.stages}
    }
    for base in bases:
        assert ":" in base and not base.endswith(":latest"), base
    final = dockerfile.final
    assert PYTHON_BASE.match(final.base), final.base
    assert dockerfile.build.base == final.base, "build and runtime on the same Python"
    users = final.of("USER")
    assert users and re.fullmatch(r"[1-9]\d{3,}(:[1-9]\d{3,})?", users[-1].arguments), (
        "numeric non-root"
    )
    text = " ".join(i.arguments for i in final.instructions)
    for tool in ("apt-get", "pip install", "uv ", "gcc", "build-essential"):
        assert tool not in text, f"{tool!r} in the final stage"
    copies_from = [i.flags().get("from") for i in final.of("COPY") if "from" in i.flags()]
    assert copies_from == ["build"], "only the virtualenv comes from the build stage"
    assert any("/opt/venv /opt/venv" in i.arguments for i in final.of("COPY"))
    healthchecks = final.of("HEALTHCHECK")
    assert len(healthchecks) == 1 and "/healthz" in healthchecks[0].arguments


def test_all_python_images_share_one_base_and_uv() -> None:
    bases = {stage.base for image in SERVICE_IMAGES for stage in image.dockerfile.built_stages()}
    assert len({b for b in bases if b.startswith("python:")}) == 1, bases
    assert len({b for b in bases if b.startswith("ghcr.io/astral-sh/uv:")}) == 1, bases


@pytest.mark.parametrize("image", SERVICE_IMAGES, ids=IMAGE_IDS)
def test_command_serves_the_service_the_local_stack_runs(image: Image) -> None:
    final = image.dockerfile.final
    cmd = final.of("CMD")[-1].exec_form
    assert cmd is not None, "exec form, so the server is PID 1 and gets SIGTERM"
    exposed = {int(i.arguments) for i in final.of("EXPOSE")}
    env = final.env()
    assert env["PETSHOTS_SERVICE_NAME"] == image.package
    if image.service in HTTP_BY_NAME:
        served, local = SERVED_BY_NAME[image.service], HTTP_BY_NAME[image.service]
        # petshots-serve holds the uvicorn options (libs/core/tests/test_serve.py checks them:
        # factory, workers and graceful shutdown from these variables, no proxy headers ...).
        assert cmd == ["sh", "-c", WEB_COMMAND]
        assert env["PETSHOTS_WEB_SERVICE"] == image.service
        assert served.app_factory == local.app_factory
        assert int(env["PETSHOTS_WEB_PORT"]) == served.port == local.port
        assert exposed == {served.port}
        assert "PETSHOTS_WEB_CONCURRENCY" in env and "PETSHOTS_GRACEFUL_SHUTDOWN_S" in env
        probe = final.of("HEALTHCHECK")[0].arguments
        assert "'http://127.0.0.1:' + os.environ['PETSHOTS_WEB_PORT'] + '/healthz'" in probe
    else:
        assert image.package == "petshots-reminders"
        assert cmd == ["petshots-reminders", "worker"]
        pyproject = tomllib.loads((REPO / "services/reminders/pyproject.toml").read_text())
        assert "petshots-reminders" in pyproject["project"]["scripts"]
        assert exposed == {8104}
        assert env["PETSHOTS_REMINDERS_HEALTH_PORT"] == "8104"
        assert "127.0.0.1:8104/healthz" in final.of("HEALTHCHECK")[0].arguments


def test_the_launcher_serves_what_the_local_stack_routes_to() -> None:
    assert list(SERVED_BY_NAME) == list(HTTP_BY_NAME)
    for name, served in SERVED_BY_NAME.items():
        assert (served.app_factory, served.port) == (
            HTTP_BY_NAME[name].app_factory,
            HTTP_BY_NAME[name].port,
        )


def test_records_image_can_run_the_migrations() -> None:
    (records,) = (image for image in SERVICE_IMAGES if image.service == "records")
    final = records.dockerfile.final
    copies = [i.words() for i in final.of("COPY")]
    assert ["alembic.ini", "/app/alembic.ini"] in copies
    assert final.of("WORKDIR")[-1].arguments == "/app"
    ini = (REPO / "alembic.ini").read_text()
    assert "script_location = petshots_core:migrations" in ini


def test_edge_image_serves_the_rendered_config_and_the_spa() -> None:
    dockerfile = EDGE
    final = dockerfile.final
    assert final.base.startswith("nginxinc/nginx-unprivileged:") and not final.base.endswith(
        ":latest"
    )
    copies = [i.words() for i in final.of("COPY")]
    assert ["deploy/edge/nginx.conf", "/etc/nginx/petshots/nginx.conf"] in copies
    assert any(w[-1] == "/usr/share/nginx/html" for w in copies)
    entrypoint = final.of("ENTRYPOINT")[-1].exec_form
    assert entrypoint is not None and "/etc/nginx/petshots/nginx.conf" in entrypoint
    assert final.of("HEALTHCHECK")
    spa = dockerfile.stages[0]
    assert spa.base.startswith("node:20.") and spa.name == "spa"
    assert any("npm ci" in i.arguments for i in spa.of("RUN"))
    assert any("npm run build" in i.arguments for i in spa.of("RUN"))
