"""Compute each Python service image's size without Docker: ``uv run python tests/deploy/image_size.py``.

The image is the python base plus one layer holding ``/opt/venv`` (the other runtime layers —
a user, a directory, alembic.ini — are a few kilobytes). The virtualenv is built here with the
Dockerfile's own commands (bytecode compiled, files copied, as in the image) and measured
unpacked and as a gzip-compressed tar layer, which is what a registry stores and a node pulls.
The base image cannot be pulled here; its size is the published figure below.
"""

from __future__ import annotations

import gzip
import io
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dockerfiles import SERVICE_IMAGES
from image_venv import build_venv, tree_bytes

MB = 1_000_000
BUDGET_MB = 150
# python:3.11-slim-bookworm, linux/amd64, as Docker Hub publishes it (not measured here).
BASE_COMPRESSED_MB = 42
BASE_UNPACKED_MB = 125


class _Counter(io.RawIOBase):
    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self.size += len(data)
        return len(data)


def compressed_layer_bytes(root: Path, arcname: str) -> int:
    counter = _Counter()
    with (
        gzip.GzipFile(fileobj=counter, mode="wb", compresslevel=6) as zipped,
        tarfile.open(fileobj=zipped, mode="w") as tar,
    ):
        tar.add(root, arcname=arcname)
    return counter.size


def main() -> None:
    print(f"{'image':<12}{'venv':>10}{'venv.tgz':>10}{'image':>10}{'pulled':>10}")
    for built in SERVICE_IMAGES:
        with tempfile.TemporaryDirectory(prefix="petshots-image-") as tmp:
            venv = build_venv(built.dockerfile, Path(tmp), compile_bytecode=True)
            unpacked = tree_bytes(venv) / MB
            packed = compressed_layer_bytes(venv, "opt/venv") / MB
        image, pulled = BASE_UNPACKED_MB + unpacked, BASE_COMPRESSED_MB + packed
        print(f"{built.service:<12}{unpacked:>9.0f}M{packed:>9.0f}M{image:>9.0f}M{pulled:>9.0f}M")
    print(
        f"base python:3.11-slim-bookworm: {BASE_UNPACKED_MB} MB unpacked, "
        f"{BASE_COMPRESSED_MB} MB compressed (published figures); budget {BUDGET_MB} MB"
    )


if __name__ == "__main__":
    main()
