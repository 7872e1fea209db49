"""Wire-level types every service's API shares (msgspec validates them at the edge)."""

from __future__ import annotations

from typing import Literal

# No control characters anywhere in user text; names and labels are single-line.
PLAIN_TEXT = r"^[^\x00-\x1f\x7f]*$"

# The API spellings of petshots_core.models.Species and petshots_core.status.Status (a test
# keeps them equal): literals, so each OpenAPI document lists the values.
Species = Literal["dog", "cat", "other"]
StatusName = Literal["expired", "due_soon", "current", "no_expiry"]
