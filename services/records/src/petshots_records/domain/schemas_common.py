"""Wire types shared by the records domains (validation lives in the types)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from petshots_core.wire import PLAIN_TEXT

PetName = Annotated[
    str,
    msgspec.Meta(min_length=1, max_length=60, pattern=PLAIN_TEXT, description="Pet's name"),
]
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=80, pattern=PLAIN_TEXT)]
Label = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=80,
        pattern=PLAIN_TEXT,
        description="Vaccine label, e.g. Rabies, DHPP, Bordetella",
    ),
]
# A file name, not a path: no separators, no control characters, not "." or "..".
Filename = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=255,
        pattern=r"^(?!\.{1,2}$)[^/\\\x00-\x1f\x7f]+$",
        description="Original file name (no path)",
    ),
]
DocContentType = Literal["application/pdf", "image/jpeg", "image/png", "image/webp", "image/heic"]
PhotoContentType = Literal["image/jpeg", "image/png", "image/webp"]
SizeBytes = Annotated[int, msgspec.Meta(ge=1, le=2**40)]


class Upload(msgspec.Struct, kw_only=True):
    """A presigned POST: send ``fields`` plus the file as multipart/form-data to ``url``."""

    url: str
    fields: dict[str, str]
    expires_in: int
