"""An owner's HTTP client for tests, plus small valid files to upload."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# A well-formed 1x1 RGBA PNG (every chunk length and CRC right: the service parses images).
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\x0bIDATx\xdac`\x00\x02\x00\x00\x05\x00\x01\xe9\xfa\xdc\xd8"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class Owner:
    """One owner's view of the API: every call carries their token."""

    sub: uuid.UUID
    client: AsyncTestClient[Litestar]
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def call(
        self, method: str, path: str, headers: dict[str, str] | None = None, **kw: Any
    ) -> httpx.Response:
        return await self.client.request(
            method, path, headers={**self.headers, **(headers or {})}, **kw
        )

    async def new_pet(self, name: str = "Ollie", **fields: Any) -> dict[str, Any]:
        r = await self.call("POST", "/api/pets", json={"name": name, **fields})
        assert r.status_code == 201, r.text
        result: dict[str, Any] = r.json()
        return result

    async def declare_doc(self, pet_id: str, size_bytes: int, **fields: Any) -> httpx.Response:
        """``POST /api/pets/{pet_id}/docs`` for a PDF of ``size_bytes`` (``fields`` override the
        body): the service's answer as it is, nothing uploaded."""
        body = {
            "label": "Rabies",
            "filename": "x.pdf",
            "content_type": "application/pdf",
            "size_bytes": size_bytes,
            **fields,
        }
        return await self.call("POST", f"/api/pets/{pet_id}/docs", json=body)

    async def new_doc(
        self,
        pet_id: str,
        *,
        label: str = "Rabies",
        expires_on: str | None = "2027-06-01",
        body: bytes = PDF,
        content_type: str = "application/pdf",
        complete: bool = True,
    ) -> dict[str, Any]:
        r = await self.declare_doc(
            pet_id,
            len(body),
            label=label,
            expires_on=expires_on,
            filename="cert.pdf" if content_type == "application/pdf" else "cert.png",
            content_type=content_type,
        )
        assert r.status_code == 201, r.text
        created: dict[str, Any] = r.json()
        post_to_storage(created["upload"], body)
        if not complete:
            return created["doc"]  # type: ignore[no-any-return]
        done = await self.call("POST", f"/api/docs/{created['doc']['id']}/complete")
        assert done.status_code == 200, done.text
        result: dict[str, Any] = done.json()
        return result


def post_to_storage(upload: dict[str, Any], body: bytes, **overrides: str) -> httpx.Response:
    response = httpx.post(
        upload["url"],
        data={**upload["fields"], **overrides},
        files={"file": ("upload", body)},
        timeout=10,
    )
    return response
