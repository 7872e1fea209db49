"""Reading a passport by its token, on the hot path of the facility's visit.

One statement, one round trip: the passport (by token hash), its pet, the owner's clock and
the pet's ready records, with the view appended to the log by a data-modifying CTE in the
same statement. The views asked for in one turn of the event loop share that statement
(``LoopTurnBatcher``): under load one round trip and one backend wake-up serve several.

It runs on a small asyncpg pool of its own rather than through SQLAlchemy: measured here,
the same statement costs ~0.2 ms of CPU through asyncpg and ~0.7 ms through a SQLAlchemy Core
``text()`` execution, on a path that must serve ≥ 1,500 requests/s on two cores. The pool is
autocommit (one statement, no BEGIN/COMMIT round trips) with ``synchronous_commit = off``: a
view-log row lost to a crash in the last fraction of a second is an acceptable price, and
nothing else is written through this pool. The owner API keeps the shared SQLAlchemy session.
"""

from __future__ import annotations

import enum
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from petshots_core.read_pool import ReadPool
from petshots_core.storage import Storage, safe_download_name
from petshots_passport.lib.batching import LoopTurnBatcher
from petshots_passport.lib.user_agents import AgentClass, Device
from petshots_passport.settings import PassportSettings


class Gone(enum.Enum):
    """Why a token opens nothing. Revoked and never-existed are deliberately one value."""

    NOT_FOUND = 404
    EXPIRED = 410


@dataclass(frozen=True, slots=True)
class Viewer:
    agent_class: AgentClass
    device: Device
    network: str | None


_Asked = tuple[bytes, datetime, Viewer]  # token hash, now, viewer


@dataclass(frozen=True, slots=True)
class ReadyRecord:
    id: uuid.UUID
    label: str
    expires_on: date | None
    given_on: date | None


@dataclass(frozen=True, slots=True)
class LivePassport:
    id: uuid.UUID
    expires_at: datetime | None
    pet_name: str
    species: str
    breed: str | None
    photo_key: str | None
    photo_content_type: str | None
    time_zone: str
    due_soon_days: int
    records: list[ReadyRecord]


# One row per ready record of each live passport asked for (one row with a null doc_id when it
# has none, one row with live false when expired; nothing when not found or revoked), tagged
# with the request's position ``n``. Arrays, one element per request: $1 token hashes, $2 now,
# $3 agent classes, $4 devices, $5 networks.
_OPEN = """
    WITH asked AS (
        SELECT * FROM unnest($1::bytea[], $2::timestamptz[], $3::text[], $4::text[], $5::text[])
            WITH ORDINALITY AS a(token_hash, now, agent_class, device, network, n)
    ), p AS (
        SELECT asked.n, asked.now, asked.agent_class, asked.device, asked.network,
               passports.id, passports.pet_id, passports.owner_id, passports.expires_at,
               (passports.expires_at IS NULL OR passports.expires_at > asked.now) AS live
        FROM asked
        JOIN passports ON passports.token_hash = asked.token_hash
                      AND passports.revoked_at IS NULL
    ), logged AS (
        INSERT INTO passport_views (passport_id, viewed_at, agent_class, device, network)
        SELECT id, now, agent_class, device, network FROM p WHERE live
        RETURNING 1
    )
    SELECT p.n, p.id, p.live, p.expires_at,
           pets.name, pets.species, pets.breed, pets.photo_key, pets.photo_content_type,
           owners.timezone, owners.due_soon_days,
           d.id AS doc_id, d.label, d.expires_on, d.given_on
    FROM p
    JOIN pets ON pets.id = p.pet_id AND pets.owner_id = p.owner_id
    JOIN owners ON owners.id = p.owner_id
    LEFT JOIN documents d
           ON p.live AND d.pet_id = p.pet_id AND d.owner_id = p.owner_id AND d.state = 'ready'
"""

# $1 token hash, $2 document id, $3 now
_CERTIFICATE = """
    SELECT (p.expires_at IS NULL OR p.expires_at > $3) AS live,
           d.object_key, d.label, d.content_type
    FROM passports p
    LEFT JOIN documents d
           ON d.id = $2 AND d.pet_id = p.pet_id AND d.owner_id = p.owner_id
          AND d.state = 'ready'
    WHERE p.token_hash = $1 AND p.revoked_at IS NULL
"""

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/heic": ".heic",
}

# A presigned photo URL is reused for this long, so it still has most of its life left
# when a browser loads it, and busy pages do not re-sign on every request.
_PHOTO_URL_REUSE_S = 60.0
_PHOTO_CACHE_MAX = 2048


class PublicPassports:
    def __init__(self, storage: Storage, settings: PassportSettings) -> None:
        self._storage = storage
        self._ttl = settings.passport_download_ttl_s
        self._photo_reuse_s = min(_PHOTO_URL_REUSE_S, self._ttl / 5)
        self._photo_urls: dict[str, tuple[float, str]] = {}
        self._pool = ReadPool(
            settings, name="passport", server_settings={"synchronous_commit": "off"}
        )
        self._views: LoopTurnBatcher[_Asked, list[Any]] = LoopTurnBatcher(self._open_many)

    async def start(self) -> None:
        await self._pool.start()

    async def close(self) -> None:
        await self._pool.close()

    async def open(
        self, token_hash: bytes, *, now: datetime, viewer: Viewer
    ) -> LivePassport | Gone:
        """The live passport behind ``token_hash`` with its ready records; logs the view."""
        rows = await self._views((token_hash, now, viewer))
        if not rows:
            return Gone.NOT_FOUND
        first = rows[0]
        if not first["live"]:
            return Gone.EXPIRED
        return LivePassport(
            id=first["id"],
            expires_at=first["expires_at"],
            pet_name=first["name"],
            species=first["species"],
            breed=first["breed"],
            photo_key=first["photo_key"],
            photo_content_type=first["photo_content_type"],
            time_zone=first["timezone"],
            due_soon_days=first["due_soon_days"],
            records=[
                ReadyRecord(r["doc_id"], r["label"], r["expires_on"], r["given_on"])
                for r in rows
                if r["doc_id"] is not None
            ],
        )

    async def _open_many(self, asked: list[_Asked]) -> list[list[Any] | Exception]:
        """The rows of each view asked for, in order, from one statement."""
        rows = await self._pool.fetch(
            _OPEN,
            [token_hash for token_hash, _, _ in asked],
            [now for _, now, _ in asked],
            [viewer.agent_class for _, _, viewer in asked],
            [viewer.device for _, _, viewer in asked],
            [viewer.network for _, _, viewer in asked],
        )
        grouped: list[list[Any]] = [[] for _ in asked]
        for row in rows:
            grouped[row["n"] - 1].append(row)  # n counts from 1 (WITH ORDINALITY)
        return list(grouped)  # widened to the batcher's result type (a list is invariant)

    async def certificate_url(
        self, token_hash: bytes, doc_id: uuid.UUID, *, now: datetime
    ) -> str | Gone:
        """A download link (≤ 5 minutes) for one ready record of the passport's pet."""
        rows = await self._pool.fetch(_CERTIFICATE, token_hash, doc_id, now)
        if not rows:
            return Gone.NOT_FOUND
        row = rows[0]
        if not row["live"]:
            return Gone.EXPIRED
        if row["object_key"] is None:
            return Gone.NOT_FOUND
        await self._storage.require_reachable()  # a link to an unreachable bucket helps nobody
        # A neutral file name: the owner's own name for the file may carry their name.
        extension = _EXTENSIONS.get(row["content_type"], "")
        return self._storage.download_url(
            row["object_key"],
            filename=safe_download_name(f"{row['label']} certificate") + extension,
            content_type=row["content_type"],
            expires_in=self._ttl,
        )

    def photo_url(self, passport: LivePassport) -> str | None:
        key = passport.photo_key
        if not key:
            return None
        now = time.monotonic()
        cached = self._photo_urls.get(key)
        if cached is not None and now - cached[0] < self._photo_reuse_s:
            return cached[1]
        url = self._storage.download_url(
            key,
            filename="photo",
            content_type=passport.photo_content_type,
            expires_in=self._ttl,
        )
        if len(self._photo_urls) >= _PHOTO_CACHE_MAX:
            self._photo_urls.clear()
        self._photo_urls[key] = (now, url)
        return url
