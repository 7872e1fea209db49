"""charts/petshots: lint and render with the real Helm, validate against Kubernetes' schemas,
and hold the rendered manifests to the rules of issue 7 (security, probes, hooks, tags, ...)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from chart_render import (
    CHART,
    KUBE_VERSION,
    RELEASE,
    VALUE_SETS,
    Manifest,
    Rendered,
    helm,
    render,
    values_args,
)

from petshots_devstack.product_services import HTTP_SERVICES

ALL_SETS = sorted(VALUE_SETS)
HTTP = ("auth", "records", "passport")
COMPONENTS = (*HTTP, "reminders")
CRD_KINDS = {"ExternalSecret", "ServiceMonitor"}
"""Kinds from CRDs, which kubernetes-validate has no schema for; checked structurally below."""
VALIDATE_TIMEOUT_S = 120


def name_of(component: str) -> str:
    return f"{RELEASE}-{component}"


# -- helm lint and kubernetes-validate -----------------------------------------------------------


@pytest.mark.parametrize("value_set", ALL_SETS)
def test_helm_lint_strict(value_set: str) -> None:
    result = helm(
        "lint", "--strict", "--kube-version", KUBE_VERSION, str(CHART), *values_args(value_set)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 chart(s) failed" in result.stdout


@pytest.mark.parametrize("value_set", ALL_SETS)
def test_every_manifest_validates_against_the_kubernetes_schemas(value_set: str) -> None:
    rendered = render(value_set)
    validator = Path(sys.executable).parent / "kubernetes-validate"
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as handle:
        handle.write(rendered.text)
        handle.flush()
        result = subprocess.run(
            [str(validator), "--strict", "-k", KUBE_VERSION, handle.name],
            capture_output=True,
            text=True,
            timeout=VALIDATE_TIMEOUT_S,
            check=False,
        )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    passed = set(re.findall(r"passed for resource (\S+) against version", output))
    expected = {
        f"{m['kind'].lower()}/{m['metadata']['name']}"
        for m in rendered.manifests
        if m["kind"] not in CRD_KINDS
    }
    assert passed == expected, output
    unknown = set(re.findall(r"Couldn't find schema for kind (\S+)", output))
    assert unknown <= CRD_KINDS, output


def test_the_schema_refuses_secrets_in_values_and_mutable_tags() -> None:
    for bad in (
        "config.PETSHOTS_DATABASE_URL=postgresql://u:p@h/db",
        "config.PETSHOTS_LINK_SIGNING_SECRET=x",
        "records.env.PETSHOTS_AUTH_SECRET=x",
        "image.tag=latest",
        "records.image.tag=latest",
        "securityContext.readOnlyRootFilesystem=false",
        "secrets.existingSecret=",
    ):
        result = helm("template", RELEASE, str(CHART), "--set", bad)
        assert result.returncode != 0, f"accepted: {bad}"
    # The template refuses "latest" too, even if the schema were bypassed by a parent chart.
    helpers = (CHART / "templates" / "_helpers.tpl").read_text()
    assert 'eq $tag "latest"' in helpers


def test_values_files_hold_no_secret_values() -> None:
    secretish = re.compile(
        r"(PASSWORD|_SECRET|SECRET_ACCESS_KEY|SIGNING_KEYS|SEALING_KEY|DATABASE_URL|REDIS_URL)\s*:"
    )
    for path in (CHART / "values.yaml", CHART / "values-prod.yaml", *CHART.glob("ci/*.yaml")):
        for line in path.read_text().splitlines():
            if line.lstrip().startswith("#"):
                continue
            assert not secretish.search(line), f"{path.name}: {line.strip()}"


def test_schema_is_json_and_covers_every_top_level_value() -> None:
    schema = json.loads((CHART / "values.schema.json").read_text())
    values = render("default").values
    assert set(values) <= set(schema["properties"])
    assert schema["additionalProperties"] is False


# -- what every rendering must hold ---------------------------------------------------------------


@pytest.mark.parametrize("value_set", ALL_SETS)
def test_pods_run_non_root_read_only_and_without_privileges(value_set: str) -> None:
    for label, pod in render(value_set).pod_specs():
        context = pod["securityContext"]
        assert context["runAsNonRoot"] is True, label
        assert context["seccompProfile"] == {"type": "RuntimeDefault"}, label
        assert pod["automountServiceAccountToken"] is False, label
        mounts_tmp = True
        for container in pod["containers"]:
            sc = container["securityContext"]
            assert sc["runAsNonRoot"] is True, label
            assert sc["allowPrivilegeEscalation"] is False, label
            assert sc["readOnlyRootFilesystem"] is True, label
            assert sc["capabilities"] == {"drop": ["ALL"]}, label
            assert sc["seccompProfile"] == {"type": "RuntimeDefault"}, label
            mounts_tmp = mounts_tmp and any(
                m["mountPath"] == "/tmp" for m in container.get("volumeMounts", [])
            )
        if not label.startswith("Pod/"):  # helm-test pods write nothing
            assert mounts_tmp, f"{label}: /tmp must be a writable emptyDir"
            assert any("emptyDir" in v for v in pod["volumes"] if v["name"] == "tmp"), label


@pytest.mark.parametrize("value_set", ALL_SETS)
def test_every_container_has_requests_and_limits(value_set: str) -> None:
    for label, pod in render(value_set).pod_specs():
        for container in pod["containers"]:
            resources = container["resources"]
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources.get(kind, {})), f"{label} {kind}"


@pytest.mark.parametrize("value_set", ALL_SETS)
def test_images_are_versioned_never_latest(value_set: str) -> None:
    rendered = render(value_set)
    for label, pod in rendered.pod_specs():
        for container in pod["containers"]:
            image = container["image"]
            repository, _, tag = image.rpartition(":")
            assert repository and "/" not in tag, f"{label}: {image} has no tag"
            assert tag != "latest", f"{label}: {image}"
            assert re.fullmatch(r"\d+\.\d+\.\d+\S*", tag), f"{label}: {image}"
    assert "latest" not in {m.split(":")[-1] for m in re.findall(r"image: (\S+)", rendered.text)}


def test_image_tag_defaults_to_the_app_version() -> None:
    chart = (CHART / "Chart.yaml").read_text()
    app_version = re.search(r'^appVersion:\s*"?([^"\s]+)"?', chart, re.M)
    assert app_version
    for _, pod in render("default").pod_specs():
        for container in pod["containers"]:
            assert container["image"].endswith(":" + app_version.group(1)), container["image"]


@pytest.mark.parametrize("value_set", ALL_SETS)
def test_http_services_probe_healthz_and_readyz_on_their_port(value_set: str) -> None:
    rendered = render(value_set)
    ports = {service.upstream.value: service.port for service in HTTP_SERVICES}
    for component in HTTP:
        deployment = rendered.named("Deployment", name_of(component))
        pod = deployment["spec"]["template"]["spec"]
        (container,) = pod["containers"]
        assert container["ports"] == [
            {"name": "http", "containerPort": ports[component], "protocol": "TCP"}
        ]
        assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert container["startupProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        assert container["lifecycle"]["preStop"]["exec"]["command"][0] == "sleep"
        # Grace covers the preStop sleep and uvicorn's own graceful shutdown.
        env = {e["name"]: e["value"] for e in container["env"]}
        sleep = int(container["lifecycle"]["preStop"]["exec"]["command"][1])
        assert pod["terminationGracePeriodSeconds"] > sleep + int(
            env["PETSHOTS_GRACEFUL_SHUTDOWN_S"]
        )
        assert "PETSHOTS_WEB_CONCURRENCY" in env
        service = rendered.named("Service", name_of(component))
        assert service["spec"]["ports"][0]["port"] == ports[component]
        assert service["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]


@pytest.mark.parametrize("value_set", ALL_SETS)
def test_reminders_worker_has_no_service_and_drains_before_it_is_killed(value_set: str) -> None:
    rendered = render(value_set)
    values = rendered.values["reminders"]
    deployment = rendered.named("Deployment", name_of("reminders"))
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["command"] == ["petshots-reminders", "worker"]
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "health"}
    assert container["ports"][0]["containerPort"] == values["healthPort"] == 8104
    env = {e["name"]: e["value"] for e in container["env"]}
    assert int(env["PETSHOTS_REMINDERS_DRAIN_TIMEOUT_S"]) == values["drainTimeoutSeconds"]
    assert pod["terminationGracePeriodSeconds"] >= values["drainTimeoutSeconds"] + 10
    labels = deployment["spec"]["selector"]["matchLabels"]
    for service in rendered.of_kind("Service"):
        assert service["spec"]["selector"] != labels, "the worker must not get a Service"


@pytest.mark.parametrize("value_set", ALL_SETS)
def test_migrations_run_once_as_a_pre_install_pre_upgrade_hook(value_set: str) -> None:
    rendered = render(value_set)
    (job,) = rendered.of_kind("Job")
    annotations = job["metadata"]["annotations"]
    assert annotations["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert "before-hook-creation" in annotations["helm.sh/hook-delete-policy"]
    pod = job["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    (container,) = pod["containers"]
    assert container["command"] == ["alembic", "upgrade", "head"]
    assert container["workingDir"] == "/app"
    records_image = rendered.named("Deployment", name_of("records"))["spec"]["template"]["spec"][
        "containers"
    ][0]["image"]
    if rendered.values["records"]["image"]["repository"] == "":
        assert container["image"] == records_image
    # The hook runs before the ConfigMap exists: its settings are inline, its Secret exists.
    assert "configMapRef" not in json.dumps(container.get("envFrom", []))
    env = {e["name"] for e in container["env"]}
    assert "PETSHOTS_ENV" in env
    # Never at start-up: no long-running container runs Alembic.
    for deployment in rendered.of_kind("Deployment"):
        for c in deployment["spec"]["template"]["spec"]["containers"]:
            assert "alembic" not in json.dumps(c.get("command", [])) + json.dumps(c.get("args", []))


def test_with_external_secrets_the_hook_gets_its_own_hook_scoped_secret() -> None:
    rendered = render("prod")
    secrets = {m["metadata"]["name"]: m for m in rendered.of_kind("ExternalSecret")}
    assert set(secrets) == {"petshots", "petshots-migrations"}
    hook = secrets["petshots-migrations"]["metadata"]["annotations"]
    assert hook["helm.sh/hook"] == "pre-install,pre-upgrade"
    assert int(hook["helm.sh/hook-weight"]) < 0  # before the Job (weight 0)
    for secret in secrets.values():
        assert secret["apiVersion"] == "external-secrets.io/v1"
        assert secret["spec"]["secretStoreRef"]["kind"] == "ClusterSecretStore"
        assert secret["spec"]["target"]["name"] == secret["metadata"]["name"]
        assert secret["spec"]["dataFrom"]
    (job,) = rendered.of_kind("Job")
    env_from = job["spec"]["template"]["spec"]["containers"][0]["envFrom"]
    assert env_from == [{"secretRef": {"name": "petshots-migrations"}}]
    for component in COMPONENTS:
        pod = rendered.named("Deployment", name_of(component))["spec"]["template"]["spec"]
        assert {"secretRef": {"name": "petshots"}} in pod["containers"][0]["envFrom"]


def test_config_map_carries_no_secret_and_every_pod_reads_it() -> None:
    for value_set in ALL_SETS:
        rendered = render(value_set)
        (config,) = rendered.of_kind("ConfigMap")
        for key in config["data"]:
            assert not re.search(
                r"(SECRET|PASSWORD|SIGNING_KEYS|SEALING_KEY|DATABASE_URL|REDIS_URL)$", key
            )
        for component in COMPONENTS:
            pod = rendered.named("Deployment", name_of(component))["spec"]["template"]["spec"]
            refs = pod["containers"][0]["envFrom"]
            assert {"configMapRef": {"name": config["metadata"]["name"]}} in refs
    # The default JWKS is the in-cluster auth service's (embedded identity provider).
    (config,) = render("default").of_kind("ConfigMap")
    assert (
        config["data"]["PETSHOTS_JWKS_URL"]
        == "http://petshots-auth:8101/auth/.well-known/jwks.json"
    )


def _replicas(values: dict[str, Any]) -> int:
    autoscaling = values.get("autoscaling", {})
    return int(autoscaling["minReplicas"] if autoscaling.get("enabled") else values["replicaCount"])


@pytest.mark.parametrize("value_set", ALL_SETS)
def test_pdb_only_for_components_with_more_than_one_replica(value_set: str) -> None:
    rendered = render(value_set)
    pdbs = {m["metadata"]["name"] for m in rendered.of_kind("PodDisruptionBudget")}
    expected = {
        name_of(c)
        for c in COMPONENTS
        if rendered.values[c]["pdb"]["enabled"] and _replicas(rendered.values[c]) > 1
    }
    assert pdbs == expected
    for pdb in rendered.of_kind("PodDisruptionBudget"):
        component = pdb["metadata"]["labels"]["app.kubernetes.io/component"]
        selector = rendered.named("Deployment", name_of(component))["spec"]["selector"]
        assert pdb["spec"]["selector"] == selector


def test_pdbs_appear_where_replicas_exceed_one() -> None:
    assert not render("default").of_kind("PodDisruptionBudget")
    assert {m["metadata"]["name"] for m in render("prod").of_kind("PodDisruptionBudget")} == {
        name_of(c) for c in HTTP
    }
    assert len(render("all-features").of_kind("PodDisruptionBudget")) == 4


@pytest.mark.parametrize("value_set", ALL_SETS)
def test_autoscaling_v2_per_http_service_when_enabled(value_set: str) -> None:
    rendered = render(value_set)
    hpas = {m["metadata"]["name"]: m for m in rendered.of_kind("HorizontalPodAutoscaler")}
    for component in HTTP:
        values = rendered.values[component]["autoscaling"]
        deployment = rendered.named("Deployment", name_of(component))
        if values["enabled"]:
            hpa = hpas[name_of(component)]
            assert hpa["apiVersion"] == "autoscaling/v2"
            assert hpa["spec"]["scaleTargetRef"] == {
                "apiVersion": "apps/v1", "kind": "Deployment", "name": name_of(component)
            }  # fmt: skip
            assert hpa["spec"]["minReplicas"] == values["minReplicas"]
            assert "replicas" not in deployment["spec"], "the HPA owns the replica count"
        else:
            assert name_of(component) not in hpas
            assert deployment["spec"]["replicas"] == rendered.values[component]["replicaCount"]
    assert render("prod").of_kind("HorizontalPodAutoscaler")


@pytest.mark.parametrize("value_set", ALL_SETS)
def test_pods_spread_across_zones(value_set: str) -> None:
    rendered = render(value_set)
    for component in COMPONENTS:
        deployment = rendered.named("Deployment", name_of(component))
        pod = deployment["spec"]["template"]["spec"]
        keys = {c["topologyKey"] for c in pod["topologySpreadConstraints"]}
        assert "topology.kubernetes.io/zone" in keys
        for constraint in pod["topologySpreadConstraints"]:
            assert (
                constraint["labelSelector"]["matchLabels"]
                == deployment["spec"]["selector"]["matchLabels"]
            )


def test_service_accounts_carry_each_services_irsa_role() -> None:
    rendered = render("prod")
    for component in COMPONENTS:
        account = rendered.named("ServiceAccount", name_of(component))
        role = rendered.values[component]["serviceAccount"]["roleArn"]
        assert role.endswith(f"-{component}")
        assert account["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == role
        pod = rendered.named("Deployment", name_of(component))["spec"]["template"]["spec"]
        assert pod["serviceAccountName"] == name_of(component)
    roles = {
        rendered.named("ServiceAccount", name_of(c))["metadata"]["annotations"][
            "eks.amazonaws.com/role-arn"
        ]
        for c in COMPONENTS
    }
    assert len(roles) == len(COMPONENTS), "one role per service (least privilege)"
    for account in render("default").of_kind("ServiceAccount"):
        assert "eks.amazonaws.com/role-arn" not in account["metadata"].get("annotations", {})


def test_alb_ingress_annotations() -> None:
    for value_set in ("default", "prod", "all-features"):
        rendered = render(value_set)
        (ingress,) = rendered.of_kind("Ingress")
        annotations = ingress["metadata"]["annotations"]
        assert ingress["spec"]["ingressClassName"] == "alb"
        assert annotations["alb.ingress.kubernetes.io/target-type"] == "ip"
        assert (
            annotations["alb.ingress.kubernetes.io/group.name"]
            == rendered.values["ingress"]["alb"]["groupName"]
        )
        assert annotations["alb.ingress.kubernetes.io/healthcheck-path"] == "/readyz"
        action = json.loads(annotations["alb.ingress.kubernetes.io/actions.api-not-found"])
        assert action["type"] == "fixed-response"
        assert action["fixedResponseConfig"]["statusCode"] == "404"
        assert json.loads(action["fixedResponseConfig"]["messageBody"])["error"] == "not_found"
        for component in HTTP:
            service = rendered.named("Service", name_of(component))
            assert (
                service["metadata"]["annotations"]["alb.ingress.kubernetes.io/healthcheck-path"]
                == "/readyz"
            )
        certificate = rendered.values["ingress"]["alb"]["certificateArn"]
        if certificate:
            assert annotations["alb.ingress.kubernetes.io/certificate-arn"] == certificate
            assert "HTTPS" in annotations["alb.ingress.kubernetes.io/listen-ports"]
            assert annotations["alb.ingress.kubernetes.io/ssl-redirect"] == "443"
    assert (
        "alb.ingress.kubernetes.io/certificate-arn"
        in render("prod").of_kind("Ingress")[0]["metadata"]["annotations"]
    )


def test_nginx_ingress_variant_has_tls_and_no_alb_annotations() -> None:
    rendered = render("nginx")
    (ingress,) = rendered.of_kind("Ingress")
    assert ingress["spec"]["ingressClassName"] == "nginx"
    assert ingress["spec"]["tls"] == [
        {"hosts": ["petshots.example.com"], "secretName": "petshots-tls"}
    ]
    assert not any(key.startswith("alb.") for key in ingress["metadata"]["annotations"])
    for service in rendered.of_kind("Service"):
        assert not service["metadata"].get("annotations")


def _policy_for(rendered: Rendered, component: str) -> Manifest:
    return rendered.named("NetworkPolicy", name_of(component))


@pytest.mark.parametrize("value_set", ["prod", "all-features", "nginx"])
def test_network_policies_admit_only_the_ingress_controller(value_set: str) -> None:
    rendered = render(value_set)
    policy_values = rendered.values["networkPolicy"]
    for component in (*COMPONENTS, "migrations", "test"):
        policy = _policy_for(rendered, component)
        assert policy["spec"]["policyTypes"] == ["Ingress", "Egress"]
        assert (
            policy["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == component
        )
    test_pods = {"podSelector": {"matchLabels": {
        "app.kubernetes.io/component": "test", "app.kubernetes.io/instance": RELEASE,
        "app.kubernetes.io/name": "petshots",
    }}}  # fmt: skip
    release_pods = {"podSelector": {"matchLabels": {
        "app.kubernetes.io/instance": RELEASE, "app.kubernetes.io/name": "petshots",
    }}}  # fmt: skip
    for component in HTTP:
        rules = _policy_for(rendered, component)["spec"]["ingress"]
        expected = [*policy_values["ingressFrom"], test_pods]
        if component == "auth":
            expected.append(release_pods)  # JWKS of the embedded identity provider
        assert rules[0]["from"] == expected
        assert rules[0]["ports"] == [
            {"port": rendered.values[component]["port"], "protocol": "TCP"}
        ]
        for rule in rules[1:]:
            assert rule["from"] == policy_values["metricsFrom"]
    assert _policy_for(rendered, "migrations")["spec"]["ingress"] == []
    worker_ingress = _policy_for(rendered, "reminders")["spec"]["ingress"]
    assert all(rule["from"] == policy_values["metricsFrom"] for rule in worker_ingress)


@pytest.mark.parametrize("value_set", ["prod", "all-features", "nginx"])
def test_network_policies_let_pods_reach_postgres_redis_and_aws(value_set: str) -> None:
    rendered = render(value_set)
    egress_values = rendered.values["networkPolicy"]["egress"]

    def ports_to(rules: list[dict[str, Any]], cidr: str) -> set[int]:
        return {
            port["port"]
            for rule in rules
            if {"ipBlock": {"cidr": cidr}} in rule.get("to", [])
            for port in rule["ports"]
        }

    for component in COMPONENTS:
        rules = _policy_for(rendered, component)["spec"]["egress"]
        assert any(port["port"] == 53 for rule in rules for port in rule["ports"])
        for name, port in (("postgres", 5432), ("redis", 6379), ("https", 443)):
            for cidr in egress_values[name]["cidrs"]:
                assert port in ports_to(rules, cidr), f"{component} -> {name} {cidr}"
    migration_rules = _policy_for(rendered, "migrations")["spec"]["egress"]
    for cidr in egress_values["postgres"]["cidrs"]:
        assert 5432 in ports_to(migration_rules, cidr)
    assert not any(
        port["port"] in (6379, 443)
        for rule in migration_rules
        if "ipBlock" in json.dumps(rule)
        for port in rule["ports"]
        if rule not in egress_values.get("extra", [])
    )


def test_network_policies_are_off_by_default() -> None:
    assert not render("default").of_kind("NetworkPolicy")


@pytest.mark.parametrize("value_set", ALL_SETS)
def test_helm_test_pods_hit_each_services_readyz(value_set: str) -> None:
    rendered = render(value_set)
    pods = {m["metadata"]["name"]: m for m in rendered.of_kind("Pod")}
    for component in HTTP:
        pod = pods[f"{name_of(component)}-readyz-test"]
        assert pod["metadata"]["annotations"]["helm.sh/hook"] == "test"
        assert pod["spec"]["restartPolicy"] == "Never"
        url = f"http://{name_of(component)}:{rendered.values[component]['port']}/readyz"
        assert url in " ".join(pod["spec"]["containers"][0]["command"])
    assert len(pods) == len(HTTP)


def test_service_monitors_and_spa_backend_when_enabled() -> None:
    rendered = render("all-features")
    monitors = rendered.of_kind("ServiceMonitor")
    assert {m["metadata"]["name"] for m in monitors} == {name_of(c) for c in HTTP}
    for monitor in monitors:
        assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
        assert monitor["spec"]["endpoints"] == [
            {"port": "http", "path": "/metrics", "interval": "15s"}
        ]
    for value_set in ("default", "prod"):
        assert not render(value_set).of_kind("ServiceMonitor")
