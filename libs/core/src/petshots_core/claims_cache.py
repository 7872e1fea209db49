"""Verified access-token claims, kept for a short while so a token is not re-verified per request.

An owner's SPA sends the same access token with every call for up to an hour; RS256 plus
PyJWT's claim checks cost ~0.25 ms of CPU each time (a quarter of a dashboard request). A
token that verified once stays valid until its ``exp`` (signature and claims cannot change),
so its claims are reused for ``ttl_s`` at most and never past ``exp``. What a cached entry
does not see — a key removed from the JWKS, a deleted account — is bounded or checked
elsewhere: keys are trusted for up to ``jwks_max_age_s`` anyway (longer than the TTL here),
and the deleted-subject check runs on every request, cached or not.

Only tokens that verified are stored, so garbage cannot fill the cache; it is bounded (least
recently used goes first) so many distinct valid tokens cannot grow it either. Keys are the
token's SHA-256 digest: a Cognito token is ~1 KB, the digest 32 bytes. (An ``OrderedDict`` is
all a bounded LRU with a per-entry deadline needs; cachetools' ``TLRUCache`` would do the same
with a dependency more.)
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ClaimsCache(Generic[T]):
    def __init__(
        self, *, ttl_s: float, max_entries: int, clock: Callable[[], float] = time.time
    ) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[bytes, tuple[float, T]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def enabled(self) -> bool:
        return self.ttl_s > 0 and self.max_entries > 0

    def get(self, token: str) -> T | None:
        if not self.enabled:
            return None
        key = hashlib.sha256(token.encode()).digest()
        entry = self._entries.get(key)
        if entry is None:
            return None
        deadline, claims = entry
        if self._clock() >= deadline:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return claims

    def put(self, token: str, claims: T, *, expires_at: float) -> None:
        """Keep ``claims`` until ``ttl_s`` from now or ``expires_at`` (epoch s), whichever first."""
        if not self.enabled:
            return
        now = self._clock()
        deadline = min(now + self.ttl_s, expires_at)
        if deadline <= now:
            return  # expired already (accepted within the leeway): verify it every time
        key = hashlib.sha256(token.encode()).digest()
        self._entries[key] = (deadline, claims)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
