"""Render charts/petshots with the real Helm for the value sets the tests check, once each."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from helm_tool import ensure_helm

REPO = Path(__file__).resolve().parents[2]
CHART = REPO / "charts" / "petshots"
KUBE_VERSION = "1.31.0"
"""The Kubernetes version rendered for and validated against (EKS 1.31)."""
RELEASE = "petshots"
NAMESPACE = "petshots"
HELM_TIMEOUT_S = 60

VALUE_SETS: dict[str, tuple[Path, ...]] = {
    "default": (),
    "prod": (CHART / "values-prod.yaml",),
    "all-features": (CHART / "ci" / "all-features-values.yaml",),
    "nginx": (CHART / "ci" / "nginx-values.yaml",),
}
"""Name -> values files: the defaults, production, every optional feature on, ingress-nginx."""

Manifest = dict[str, Any]


@dataclass(frozen=True)
class Rendered:
    name: str
    text: str
    manifests: tuple[Manifest, ...]
    values: Mapping[str, Any]

    def of_kind(self, kind: str) -> list[Manifest]:
        return [m for m in self.manifests if m["kind"] == kind]

    def named(self, kind: str, name: str) -> Manifest:
        found = [m for m in self.of_kind(kind) if m["metadata"]["name"] == name]
        assert len(found) == 1, f"{self.name}: expected one {kind} {name}, found {len(found)}"
        return found[0]

    def pod_specs(self) -> Iterator[tuple[str, Manifest]]:
        """(``Kind/name``, pod spec) of every workload: Deployments, Jobs and test Pods."""
        for manifest in self.manifests:
            label = f"{manifest['kind']}/{manifest['metadata']['name']}"
            if manifest["kind"] in ("Deployment", "Job"):
                yield label, manifest["spec"]["template"]["spec"]
            elif manifest["kind"] == "Pod":
                yield label, manifest["spec"]


def helm(*args: str) -> subprocess.CompletedProcess[str]:
    # Helm's own config, cache and data in a throwaway place: nothing read from or written to
    # the user's, and no repositories or plugins that could reach the network.
    with tempfile.TemporaryDirectory(prefix="petshots-helm-home-") as home:
        env = {
            **os.environ,
            "HELM_CACHE_HOME": f"{home}/cache",
            "HELM_CONFIG_HOME": f"{home}/config",
            "HELM_DATA_HOME": f"{home}/data",
            "HELM_NO_PLUGINS": "1",
        }
        return subprocess.run(
            [str(ensure_helm()), *args],
            capture_output=True,
            text=True,
            timeout=HELM_TIMEOUT_S,
            check=False,
            env=env,
        )


def values_args(name: str) -> list[str]:
    return [arg for path in VALUE_SETS[name] for arg in ("--values", str(path))]


@cache
def render(name: str) -> Rendered:
    result = helm(
        "template", RELEASE, str(CHART), "--namespace", NAMESPACE,
        "--kube-version", KUBE_VERSION, *values_args(name),
    )  # fmt: skip
    assert result.returncode == 0, f"helm template ({name}) failed:\n{result.stderr}"
    manifests = tuple(doc for doc in yaml.safe_load_all(result.stdout) if doc)
    return Rendered(name, result.stdout, manifests, merged_values(name))


@cache
def merged_values(name: str) -> dict[str, Any]:
    """values.yaml with the set's files merged over it (Helm's rules for maps)."""
    merged: dict[str, Any] = _load(CHART / "values.yaml")
    for path in VALUE_SETS[name]:
        merged = _merge(merged, _load(path))
    return merged


def _load(path: Path) -> dict[str, Any]:
    loaded = yaml.safe_load(path.read_text())
    assert isinstance(loaded, dict)
    return loaded


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
