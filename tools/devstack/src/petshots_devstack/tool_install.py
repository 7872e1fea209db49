"""``petshots-dev install-tools``: what ``make dev`` needs beyond the Python workspace."""

from __future__ import annotations

import os
import shutil
import subprocess

from petshots_devstack import edge, localstack_venv
from petshots_devstack.errors import DevstackError

APT_TIMEOUT_S = 600
# Debian 12 ships nginx-light only as a transitional alias of nginx.
NGINX_PACKAGES = ("nginx", "nginx-light")


class ToolInstallError(DevstackError):
    pass


def ensure_localstack() -> str:
    if localstack_venv.VENV.is_installed():
        return f"LocalStack {localstack_venv.LOCALSTACK_VERSION}: {localstack_venv.VENV.venv_dir()}"
    python = localstack_venv.VENV.ensure()
    return f"LocalStack {localstack_venv.LOCALSTACK_VERSION}: installed with {python}"


def ensure_nginx() -> str:
    binary = edge.nginx_binary()
    if binary is not None:
        return f"nginx: {binary}"
    apt_get = shutil.which("apt-get")
    if os.geteuid() != 0 or apt_get is None:
        raise ToolInstallError(
            "nginx is not installed; install it as root (Debian: apt-get install nginx) "
            "and run this again"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}

    def apt(*args: str) -> bool:
        result = subprocess.run([apt_get, *args], env=env, timeout=APT_TIMEOUT_S, check=False)
        return result.returncode == 0

    def install() -> str | None:
        for package in NGINX_PACKAGES:
            if apt("install", "-y", "-q", "--no-install-recommends", package):
                return package
        return None

    # A fresh machine may have no package lists yet: update only when an install fails.
    package = install()
    if package is None and apt("update", "-q"):
        package = install()
    if package is None or edge.nginx_binary() is None:
        raise ToolInstallError("apt-get could not install nginx")
    return f"nginx: installed ({package})"
