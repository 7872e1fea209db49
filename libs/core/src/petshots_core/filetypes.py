"""Does an uploaded file's content match its declared type? (magic numbers, via ``filetype``)

The storage policy pins the Content-Type header, but a header is only a claim: an HTML page
uploaded as "application/pdf" would otherwise be served back from our bucket.
"""

from __future__ import annotations

import filetype

SNIFF_BYTES = 512
_EQUIVALENT = {"image/heif": "image/heic"}


def sniff(head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is None:
        return None
    mime: str = kind.mime
    return _EQUIVALENT.get(mime, mime)


def content_matches(declared: str, head: bytes) -> bool:
    return sniff(head) == _EQUIVALENT.get(declared, declared)
