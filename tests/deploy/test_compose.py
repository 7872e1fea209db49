"""docker-compose.yml, read (no Docker engine here): the services SPEC §5 asks for, health checks
and dependency conditions, named volumes, build and image references that exist, settings
that the services actually read, and an edge router whose path rules are those of ``make dev``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dockerfiles import REPO, Dockerfile
from routing_sim import nginx_locations, nginx_route, sample_paths

from petshots_devstack import edge_exports
from petshots_devstack.edge_routes import Fallback, route_for
from petshots_devstack.product_services import HTTP_SERVICES, Upstream

COMPOSE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"
NGINX_TIMEOUT_S = 30

INFRASTRUCTURE = {"postgres", "redis", "minio", "mailpit"}
ONE_SHOTS = {"minio-setup", "migrate"}
PRODUCT = {"auth", "records", "passport", "reminders"}
EDGE = "edge"
CONDITIONS = {"service_healthy", "service_completed_successfully"}


@cache
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(loaded, dict)
    return loaded


def services() -> dict[str, Any]:
    found: dict[str, Any] = compose()["services"]
    return found


def env_of(name: str) -> dict[str, str]:
    return {k: str(v) for k, v in services()[name].get("environment", {}).items()}


def defaults(text: str) -> str:
    """A compose value with each ``${VAR:-default}`` replaced by its default."""
    return re.sub(r"\$\{[A-Z0-9_]+:-([^}]*)\}", r"\1", text)


def test_the_whole_stack_is_there() -> None:
    assert set(services()) == INFRASTRUCTURE | ONE_SHOTS | PRODUCT | {EDGE}
    assert compose()["name"] == "petshots"


def test_long_running_services_have_health_checks_and_one_shots_do_not_restart() -> None:
    for name, service in services().items():
        if name in ONE_SHOTS:
            assert service["restart"] == "no", name
            assert "healthcheck" not in service, name
        else:
            test = service["healthcheck"]["test"]
            assert test[0] == "CMD" and len(test) > 1, name
            assert service["restart"] == "unless-stopped", name


def test_dependencies_wait_for_health_or_completion() -> None:
    for name, service in services().items():
        depends = service.get("depends_on", {})
        assert isinstance(depends, dict), f"{name}: depends_on needs conditions, not a list"
        for target, spec in depends.items():
            condition = spec["condition"]
            assert condition in CONDITIONS, (name, target)
            if condition == "service_healthy":
                assert "healthcheck" in services()[target], (name, target)
            else:
                assert target in ONE_SHOTS, (name, target)
    for name in PRODUCT:
        depends = services()[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["minio-setup"]["condition"] == "service_completed_successfully"
        assert depends["redis"]["condition"] == "service_healthy"
    assert services()["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    edge = services()[EDGE]["depends_on"]
    assert {s.upstream.value for s in HTTP_SERVICES} <= set(edge)


def test_migrations_run_once_in_a_one_shot_and_never_at_service_start() -> None:
    migrate = services()["migrate"]
    assert migrate["command"] == ["alembic", "upgrade", "head"]
    assert migrate["image"] == services()["records"]["image"]  # the image carrying alembic.ini
    for name in PRODUCT:
        assert "alembic" not in str(services()[name].get("command", "")), name


def test_product_services_probe_readiness_on_their_own_port() -> None:
    ports = {s.upstream.value: s.port for s in HTTP_SERVICES} | {"reminders": 8104}
    for name, port in ports.items():
        probe = " ".join(services()[name]["healthcheck"]["test"])
        path = "/healthz" if name == "reminders" else "/readyz"
        assert f"127.0.0.1:{port}{path}" in probe, name
    assert services()["reminders"]["stop_grace_period"] == "75s"  # > arq's 60 s drain


def test_build_and_image_references_exist_and_are_pinned() -> None:
    for name, service in services().items():
        image = service["image"]
        if "build" in service:
            build = service["build"]
            assert (REPO / build["context"]).resolve() == REPO
            dockerfile = REPO / build["dockerfile"]
            assert dockerfile.is_file(), f"{name}: {dockerfile}"
            assert image.startswith("petshots/")
            assert Dockerfile(dockerfile).stages, dockerfile
        else:
            repository, _, tag = image.rpartition(":")
            assert repository and tag and tag != "latest", f"{name}: {image} is not pinned"
            assert re.search(r"\d", tag), f"{name}: {image} is not a version"
    builds = {n: services()[n]["build"]["dockerfile"] for n in PRODUCT | {EDGE}}
    assert builds == dict.fromkeys(PRODUCT, "deploy/service/Dockerfile") | {
        EDGE: "deploy/edge/Dockerfile"
    }
    # Each product image builds its own service (tests/deploy/test_dockerfiles.py checks the
    # images as built with these arguments).
    for name in PRODUCT:
        assert services()[name]["build"]["args"]["SERVICE"] == name
        assert services()[name]["image"].startswith(f"petshots/{name}:")


def test_state_lives_in_named_volumes() -> None:
    declared = set(compose()["volumes"])
    used = set()
    for name, service in services().items():
        for volume in service.get("volumes", []):
            source, _, target = volume.partition(":")
            assert not source.startswith((".", "/")), f"{name}: bind mount {volume}"
            used.add(source)
            if name in PRODUCT:
                assert target == "/var/lib/petshots"
    assert used == declared


def test_browsers_get_presigned_urls_they_can_reach() -> None:
    env = defaults(str(compose()["x-petshots-env"]))
    shared = yaml.safe_load(defaults(yaml.safe_dump(compose()["x-petshots-env"])))
    assert shared["PETSHOTS_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert shared["PETSHOTS_S3_PUBLIC_ENDPOINT_URL"] == "http://localhost:9000"
    assert "9000:9000" in services()["minio"]["ports"]
    assert shared["PETSHOTS_PUBLIC_BASE_URL"] == "http://localhost:8000"
    assert "8000:8000" in services()[EDGE]["ports"]
    assert shared["PETSHOTS_JWKS_URL"] == "http://auth:8101/auth/.well-known/jwks.json"
    assert shared["PETSHOTS_TOKEN_ISSUER"] == "http://localhost:8000/auth"
    cors = defaults(services()["minio"]["environment"]["MINIO_API_CORS_ALLOW_ORIGIN"])
    assert cors == "http://localhost:8000"
    assert "mailpit" in env and "8025:8025" in services()["mailpit"]["ports"]


def test_every_petshots_setting_given_is_one_a_service_reads() -> None:
    from petshots_auth.settings import AuthSettings
    from petshots_passport.settings import PassportSettings
    from petshots_reminders.settings import RemindersSettings

    known = {
        f"PETSHOTS_{field.upper()}"
        for cls in (AuthSettings, PassportSettings, RemindersSettings)
        for field in cls.model_fields
    }
    for name in (*PRODUCT, "migrate"):
        for key in env_of(name):
            if key.startswith("PETSHOTS_"):
                assert key in known, f"{name}: {key} is read by no service"
    shared = compose()["x-petshots-env"]
    assert shared["PETSHOTS_ENV"] == "local"
    trusted = shared["PETSHOTS_TRUSTED_PROXY_ADDRESSES"]
    subnets = [c["subnet"] for c in compose()["networks"]["default"]["ipam"]["config"]]
    assert trusted in subnets, "the passport service trusts the edge's network only"


def test_env_example_documents_every_variable_with_the_same_default() -> None:
    text = COMPOSE.read_text()
    used = dict(re.findall(r"\$\{([A-Z0-9_]+):-([^}]*)\}", text))
    assert not re.findall(r"\$\{([A-Z0-9_]+)\}", text), "every variable needs a default"
    example = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert example == used


# -- the edge router ------------------------------------------------------------------------


def test_edge_config_is_the_rendering_of_the_routing_table() -> None:
    assert edge_exports.stale(REPO) == [], "run `uv run petshots-dev render-edge`"
    copies = [i.words() for i in Dockerfile(REPO / "deploy/edge/Dockerfile").final.of("COPY")]
    assert [str(edge_exports.COMPOSE_NGINX_CONF), "/etc/nginx/petshots/nginx.conf"] in copies


def test_edge_routes_every_path_like_make_dev() -> None:
    config = (REPO / edge_exports.COMPOSE_NGINX_CONF).read_text()
    locations = nginx_locations(config)
    upstream_servers = dict(re.findall(r"upstream (\S+) \{\s*server (\S+);", config))

    def expected(path: str) -> str:
        target = route_for(path)
        if isinstance(target, Upstream):
            return f"upstream:petshots_{target.value}"
        return "return:404" if target is Fallback.API_NOT_FOUND else "spa"

    wrong = {
        p: (nginx_route(locations, p), expected(p))
        for p in sample_paths()
        if nginx_route(locations, p) != expected(p)
    }
    assert not wrong, f"path: (compose edge, edge_routes): {wrong}"
    # Each upstream is the compose service of that name, on the port its image serves.
    for service in HTTP_SERVICES:
        host, port = upstream_servers[f"petshots_{service.upstream.value}"].split(":")
        assert host in services() and int(port) == service.port


def test_nginx_accepts_the_compose_edge_config() -> None:
    # nginx is a prerequisite of the project (`petshots-dev install-tools`, `.ci/run`).
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    config = (REPO / edge_exports.COMPOSE_NGINX_CONF).read_text()
    with tempfile.TemporaryDirectory() as tmp:
        # Compose names resolve only inside the compose network: point them at loopback, and
        # the container's paths at a scratch prefix; everything else is checked as shipped.
        local = re.sub(r"server (auth|records|passport):", "server 127.0.0.1:", config)
        local = local.replace(str(edge_exports.PREFIX), tmp).replace(
            "/dev/stdout", f"{tmp}/access.log"
        )
        local = local.replace("/dev/stderr", f"{tmp}/error.log")
        Path(tmp, "tmp").mkdir()
        conf = Path(tmp, "nginx.conf")
        conf.write_text(local)
        result = subprocess.run(
            [nginx, "-t", "-q", "-p", tmp, "-c", str(conf), "-e", f"{tmp}/error.log"],
            capture_output=True,
            text=True,
            timeout=NGINX_TIMEOUT_S,
            check=False,
        )
    assert result.returncode == 0, result.stderr
