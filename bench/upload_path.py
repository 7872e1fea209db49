"""Upload path: a 20 MiB record goes browser -> storage; no file byte passes a service.

    uv run python bench/upload_path.py [--mib 20]

The stack of ``bench/api_load.py`` (records and passport under uvicorn, the nginx edge,
private PostgreSQL and Redis, LocalStack S3) with one owner. Through the edge: create a pet,
ask for the record's upload policy, POST the file straight to storage with that policy (as
the browser does), complete the record, fetch its download link and the file itself from
storage. Measured: the bytes each service process read (``rchar`` in ``/proc/<pid>/io``:
sockets, files and pipes together) and the request bytes the edge logged
(``$request_length``), against the file's size.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import sys
import tempfile
import uuid
from pathlib import Path

import httpx
from api_load import stack

from petshots_testkit.processes import Service
from petshots_testkit.tokens import TokenIssuer


def rchar(pid: int) -> int:
    """Bytes the process and its threads read so far (all file descriptors)."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise RuntimeError("no rchar")


def service_pids(service: Service) -> list[int]:
    """The uvicorn process and its children (workers)."""
    pids = [service.pid]
    children = Path(f"/proc/{service.pid}/task/{service.pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    return pids


def read_bytes(service: Service) -> int:
    return sum(rchar(pid) for pid in service_pids(service))


def upload_record(api: httpx.Client, pet_id: str, payload: bytes) -> None:
    """As the SPA does: declare the record, POST the file straight to storage with the policy,
    complete it, then fetch its download link and the file, which must come back intact."""
    created = api.post(
        f"/api/pets/{pet_id}/docs",
        json={
            "label": "Rabies",
            "filename": "rabies.pdf",
            "content_type": "application/pdf",
            "size_bytes": len(payload),
            "expires_on": "2027-06-01",
        },
    )
    assert created.status_code == 201, created.text
    upload = created.json()["upload"]
    # The browser's part: straight to storage, not through the edge.
    stored = httpx.post(
        upload["url"],
        data=upload["fields"],
        files={"file": ("rabies.pdf", payload, "application/pdf")},
        timeout=120,
    )
    assert stored.status_code in (200, 201, 204), stored.text[:300]
    doc_id = created.json()["doc"]["id"]
    done = api.post(f"/api/docs/{doc_id}/complete")
    assert done.status_code == 200, done.text
    link = api.get(f"/api/docs/{doc_id}").json()["file_url"]
    fetched = httpx.get(link, timeout=120)
    assert fetched.status_code == 200 and fetched.content == payload


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=20)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    size = args.mib * 1024 * 1024
    payload = b"%PDF-1.7\n" + os.urandom(size - 9)
    log_dir = Path(tempfile.mkdtemp(prefix="petshots-bench-upload-"))
    try:
        with stack(1, 1, log_dir) as s:
            edge = str(s["edge"])
            edge_log = Path(str(s["edge_log"]))
            issuer: TokenIssuer = s["issuer"]  # type: ignore[assignment]
            records: Service = s["records"]  # type: ignore[assignment]
            passport: Service = s["passport"]  # type: ignore[assignment]
            auth = {"Authorization": f"Bearer {issuer.token(uuid.uuid4())}"}
            with httpx.Client(base_url=edge, headers=auth, timeout=60) as api:
                pet = api.post("/api/pets", json={"name": "Rex", "species": "dog"})
                assert pet.status_code in (200, 201), pet.text
                pet_id = pet.json()["id"]
                # Once untimed with a small file: the first storage call makes the S3 client,
                # and botocore reads its endpoint and service models from disk (~4.7 MB of
                # rchar) — file reads of the library, not bytes of the upload.
                upload_record(api, pet_id, b"%PDF-1.7\n" + os.urandom(1024))
                log_before = edge_log.stat().st_size
                before = {"records": read_bytes(records), "passport": read_bytes(passport)}
                upload_record(api, pet_id, payload)
                after = {"records": read_bytes(records), "passport": read_bytes(passport)}
            logged = edge_log.read_bytes()[log_before:].decode()
            edge_bytes = sum(int(n) for n in re.findall(r"req_bytes=(\d+)", logged))
            print(f"file: {size:,} bytes ({args.mib} MiB), stored and read back intact")
            for name in before:
                got = after[name] - before[name]
                print(
                    f"{name:>9} service read {got:>12,} bytes during the upload ({got / size:.4%})"
                )
            requests = len(re.findall(r"req_bytes=", logged))
            print(f"     edge received {edge_bytes:>12,} bytes in {requests} API requests")
            verdict = (
                all(after[n] - before[n] < size // 100 for n in before) and edge_bytes < size // 100
            )
            print("0 file bytes through the services:", "confirmed" if verdict else "NOT confirmed")
    finally:
        shutil.rmtree(log_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
