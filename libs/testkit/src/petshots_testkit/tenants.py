"""One owner across every service: the same token on each service's test client."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

from petshots_testkit.api import Owner


@dataclass
class Tenant:
    sub: uuid.UUID
    token: str
    clients: Mapping[str, AsyncTestClient[Litestar]]

    def on(self, service: str) -> Owner:
        """This tenant as a testkit ``Owner`` of one service (``new_pet``, ``new_doc``...)."""
        return Owner(sub=self.sub, client=self.clients[service], token=self.token)

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        token: str | None = "",
        **kw: Any,
    ) -> httpx.Response:
        """A request as this tenant; ``token=None`` sends none, another string sends that one."""
        bearer = self.token if token == "" else token
        headers = dict(kw.pop("headers", None) or {})
        if bearer is not None:
            headers["Authorization"] = f"Bearer {bearer}"
        return await self.clients[service].request(method, path, headers=headers, **kw)

    async def new_passport(self, pet_id: str, expires_in_days: int | None = 30) -> dict[str, Any]:
        r = await self.call(
            "passport",
            "POST",
            "/api/passports",
            json={"pet_id": pet_id, "label": "Happy Paws", "expires_in_days": expires_in_days},
        )
        assert r.status_code == 201, r.text
        created: dict[str, Any] = r.json()
        return created


def passport_token(passport: Mapping[str, Any]) -> str:
    url: str = passport["url"]
    return url.rsplit("/p/", 1)[1]
