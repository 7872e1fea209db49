"""Metadata out of uploaded images before anyone else can fetch them (docs/security.md).

A phone photo of a pet or of a certificate carries EXIF: where it was taken (GPS, usually the
owner's home), when, and on what device. Passport links hand those files to strangers, so
``complete`` rewrites every uploaded image once, server side, without its metadata.

The rewrite is lossless and never decodes pixels: it drops metadata containers and keeps the
image data byte for byte (no recompression of a certificate's small print, no decoder of
untrusted pixels in the service, bounded CPU). Only the EXIF orientation survives — as a
minimal EXIF block holding nothing else — so a portrait photo stays upright.

* JPEG: APP1 (EXIF, XMP), APP13 (IPTC/Photoshop), COM and APP2 MPF dropped; anything after
  the end-of-image marker (MPF's secondary images, with their own EXIF) dropped.
* PNG: ``eXIf``, ``tEXt``, ``zTXt``, ``iTXt`` and ``tIME`` chunks dropped.
* WebP: ``EXIF`` and ``XMP `` chunks dropped, the VP8X flags updated.
* HEIC: the ``Exif`` and XMP items' bytes zeroed in place (the file's offsets stay valid);
  orientation lives in HEIF's ``irot``/``imir`` properties, which are kept.

A file that cannot be parsed as its type raises :class:`UnreadableImage` (the caller refuses
it): an image we cannot clean is not shown to anyone.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

import anyio
import anyio.to_thread
import structlog

from petshots_core.storage import Storage

log = structlog.get_logger(__name__)

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/heic"})
# Each rewrite holds the file (up to the 20 MiB limit) twice in memory: bound how many run.
MAX_CONCURRENT_REWRITES = 2
_rewrites = anyio.CapacityLimiter(MAX_CONCURRENT_REWRITES)

_ORIENTATION = 0x0112


class UnreadableImage(ValueError):
    """The bytes are not a well-formed image of the declared type."""


# -- EXIF: read the orientation, write an EXIF block holding only it -------------------------


def exif_orientation(tiff: bytes) -> int | None:
    """Orientation (1-8) from IFD0 of a TIFF-structured EXIF payload, if present and sane."""
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return None
    order = "<" if tiff[:2] == b"II" else ">"
    try:
        (ifd,) = struct.unpack_from(order + "I", tiff, 4)
        (count,) = struct.unpack_from(order + "H", tiff, ifd)
        for i in range(min(count, 512)):
            tag, kind, _, value = struct.unpack_from(order + "HHIH", tiff, ifd + 2 + 12 * i)
            if tag == _ORIENTATION and kind == 3:  # SHORT
                return value if 1 <= value <= 8 else None
    except struct.error:
        return None
    return None


def minimal_exif(orientation: int) -> bytes:
    """A little-endian TIFF with one IFD and one entry: Orientation. No GPS, no thumbnail."""
    return (
        b"II*\x00"
        + struct.pack("<I", 8)
        + struct.pack("<H", 1)
        + struct.pack("<HHIHH", _ORIENTATION, 3, 1, orientation, 0)
        + struct.pack("<I", 0)
    )


# -- JPEG -----------------------------------------------------------------------------------

_JPEG_EXIF = b"Exif\x00\x00"
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM, RST0-7: markers without a length


def _jpeg_segments(data: bytes) -> Iterator[tuple[int, int, int]]:
    """(marker, start, end) of each marker segment; entropy-coded data is its own (0, s, e)."""
    if data[:2] != b"\xff\xd8":
        raise UnreadableImage("no JPEG start-of-image marker")
    yield 0xD8, 0, 2
    pos = 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise UnreadableImage("JPEG segment does not start with a marker")
        while pos + 1 < len(data) and data[pos + 1] == 0xFF:  # fill bytes
            pos += 1
        if pos + 1 >= len(data):
            raise UnreadableImage("JPEG ends inside a marker")
        marker = data[pos + 1]
        if marker == 0xD9:
            yield marker, pos, pos + 2
            return
        if marker in _STANDALONE:
            yield marker, pos, pos + 2
            pos += 2
            continue
        if pos + 4 > len(data):
            raise UnreadableImage("JPEG ends inside a segment header")
        (length,) = struct.unpack_from(">H", data, pos + 2)
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise UnreadableImage("JPEG segment runs past the end of the file")
        yield marker, pos, end
        pos = end
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            scan = pos
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= len(data):
                    raise UnreadableImage("JPEG scan data has no end")
                following = data[pos + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    pos += 2  # stuffed byte or restart marker: still scan data
                    continue
                if following == 0xFF:
                    pos += 1
                    continue
                break
            yield 0, scan, pos


def _jpeg_keeps(marker: int, segment: bytes) -> bool:
    payload = segment[4:]
    if marker == 0xE1 or marker == 0xED or marker == 0xFE:  # APP1 EXIF/XMP, APP13 IPTC, COM
        return False
    return not (marker == 0xE2 and payload.startswith(b"MPF\x00"))  # multi-picture index


def strip_jpeg(data: bytes) -> bytes:
    out = bytearray()
    orientation = None
    for marker, start, end in _jpeg_segments(data):
        segment = data[start:end]
        if marker == 0xE1 and segment[4:10] == _JPEG_EXIF and orientation is None:
            orientation = exif_orientation(segment[10:])
        if marker == 0 or _jpeg_keeps(marker, segment):
            out += segment
    if orientation not in (None, 1):
        tiff = minimal_exif(orientation)
        app1 = b"\xff\xe1" + struct.pack(">H", 2 + len(_JPEG_EXIF) + len(tiff)) + _JPEG_EXIF + tiff
        # Right after SOI and a JFIF APP0 if there is one.
        insert_at = 2
        if out[2:4] == b"\xff\xe0":
            (length,) = struct.unpack_from(">H", out, 4)
            insert_at = 4 + length
        out[insert_at:insert_at] = app1
    return bytes(out)


# -- PNG ------------------------------------------------------------------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DROP = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def strip_png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise UnreadableImage("no PNG signature")
    out = bytearray(_PNG_SIGNATURE)
    pos = len(_PNG_SIGNATURE)
    orientation = None
    while pos < len(data):
        if pos + 12 > len(data):
            raise UnreadableImage("PNG ends inside a chunk")
        (length,) = struct.unpack_from(">I", data, pos)
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise UnreadableImage("PNG chunk runs past the end of the file")
        if kind == b"eXIf" and orientation is None:
            orientation = exif_orientation(data[pos + 8 : pos + 8 + length])
        if kind == b"IEND" and orientation not in (None, 1):
            out += _png_chunk(b"eXIf", minimal_exif(orientation))
        if kind not in _PNG_DROP:
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            return bytes(out)  # anything after IEND is not part of the image
    raise UnreadableImage("PNG has no IEND chunk")


# -- WebP -----------------------------------------------------------------------------------

_WEBP_DROP = {b"EXIF", b"XMP "}
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04


def _riff_chunk(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) % 2 else b"")


def strip_webp(data: bytes) -> bytes:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise UnreadableImage("no RIFF/WEBP header")
    chunks: list[tuple[bytes, bytes]] = []
    pos = 12
    orientation = None
    while pos + 8 <= len(data):
        kind = data[pos : pos + 4]
        (length,) = struct.unpack_from("<I", data, pos + 4)
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length:
            raise UnreadableImage("WebP chunk runs past the end of the file")
        if kind == b"EXIF" and orientation is None:
            tiff = body[6:] if body.startswith(_JPEG_EXIF) else body
            orientation = exif_orientation(tiff)
        if kind not in _WEBP_DROP:
            chunks.append((kind, body))
        pos += 8 + length + (length % 2)
    if not chunks:
        raise UnreadableImage("WebP holds no chunks")
    if chunks[0][0] == b"VP8X":
        flags = chunks[0][1][0] & ~(_VP8X_EXIF | _VP8X_XMP)
        if orientation is not None and orientation != 1:
            flags |= _VP8X_EXIF
            chunks.append((b"EXIF", minimal_exif(orientation)))
        chunks[0] = (b"VP8X", bytes([flags]) + chunks[0][1][1:])
    body = b"".join(_riff_chunk(kind, chunk) for kind, chunk in chunks)
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


# -- HEIC (ISOBMFF) -------------------------------------------------------------------------


def _boxes(data: bytes | memoryview, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, box end) of each box between ``start`` and ``end``."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > end:
                raise UnreadableImage("HEIF box header runs past its parent")
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise UnreadableImage("HEIF box runs past its parent")
        yield bytes(kind), pos + header, pos + size
        pos += size


def _uint(data: bytes | memoryview, pos: int, size: int) -> int:
    return int.from_bytes(bytes(data[pos : pos + size]), "big") if size else 0


def _metadata_items(data: bytes | memoryview, start: int, end: int) -> set[int]:
    """Item ids of the Exif item and XMP (``mime`` application/rdf+xml) items in ``iinf``."""
    items = set()
    version = data[start]
    pos = start + 4
    count_size = 2 if version == 0 else 4
    pos += count_size
    for kind, body, box_end in _boxes(data, pos, end):
        if kind != b"infe":
            continue
        infe_version = data[body]
        if infe_version < 2:
            continue
        p = body + 4
        id_size = 2 if infe_version == 2 else 4
        item_id = _uint(data, p, id_size)
        p += id_size + 2  # item_protection_index
        item_type = bytes(data[p : p + 4])
        p += 4
        if item_type == b"Exif":
            items.add(item_id)
        elif item_type == b"mime":
            name_end = bytes(data[p:box_end]).find(b"\x00")
            content_type = bytes(data[p + name_end + 1 : box_end]).split(b"\x00", 1)[0]
            if content_type.strip() == b"application/rdf+xml":
                items.add(item_id)
    return items


def _extents(data: bytes | memoryview, start: int, end: int) -> dict[int, list[tuple[int, int]]]:
    """``iloc``: item id -> [(file offset, length)] for items stored in the file itself."""
    version = data[start]
    pos = start + 4
    sizes = data[pos]
    offset_size, length_size = sizes >> 4, sizes & 0x0F
    sizes2 = data[pos + 1]
    base_offset_size = sizes2 >> 4
    index_size = sizes2 & 0x0F if version in (1, 2) else 0
    pos += 2
    count_size = 4 if version == 2 else 2
    count = _uint(data, pos, count_size)
    pos += count_size
    found: dict[int, list[tuple[int, int]]] = {}
    for _ in range(count):
        id_size = 4 if version == 2 else 2
        item_id = _uint(data, pos, id_size)
        pos += id_size
        method = 0
        if version in (1, 2):
            method = _uint(data, pos, 2) & 0x0F
            pos += 2
        pos += 2  # data_reference_index
        base = _uint(data, pos, base_offset_size)
        pos += base_offset_size
        extent_count = _uint(data, pos, 2)
        pos += 2
        for _ in range(extent_count):
            pos += index_size
            offset = _uint(data, pos, offset_size)
            pos += offset_size
            length = _uint(data, pos, length_size)
            pos += length_size
            if method == 0:
                found.setdefault(item_id, []).append((base + offset, length))
        if pos > end:
            raise UnreadableImage("HEIF iloc box is truncated")
    return found


def strip_heic(data: bytes) -> bytes:
    view = memoryview(data)
    boxes = {kind: (body, end) for kind, body, end in _boxes(view, 0, len(data))}
    if b"ftyp" not in boxes or b"meta" not in boxes:
        raise UnreadableImage("no HEIF ftyp/meta boxes")
    meta_body, meta_end = boxes[b"meta"]
    inner = {k: (b, e) for k, b, e in _boxes(view, meta_body + 4, meta_end)}  # full box
    if b"iinf" not in inner or b"iloc" not in inner:
        return data  # no items, nothing to clean
    try:
        items = _metadata_items(view, *inner[b"iinf"])
        extents = _extents(view, *inner[b"iloc"])
    except (IndexError, struct.error) as exc:
        raise UnreadableImage("HEIF item tables are malformed") from exc
    out = bytearray(data)
    for item in items:
        for offset, length in extents.get(item, []):
            if length == 0 or offset + length > len(out):
                raise UnreadableImage("HEIF metadata item points outside the file")
            out[offset : offset + length] = bytes(length)
    return bytes(out)


_STRIPPERS = {
    "image/jpeg": strip_jpeg,
    "image/png": strip_png,
    "image/webp": strip_webp,
    "image/heic": strip_heic,
}


def strip_metadata(data: bytes, content_type: str) -> bytes:
    """The image without its metadata (orientation kept); raises UnreadableImage."""
    try:
        return _STRIPPERS[content_type](data)
    except (IndexError, struct.error) as exc:
        raise UnreadableImage(f"malformed {content_type}") from exc


async def strip_stored_image(
    storage: Storage, key: str, content_type: str, max_bytes: int
) -> int | None:
    """Rewrite the stored image at ``key`` without its metadata; returns its new size, or
    None when it held none. Reads at most ``max_bytes`` (the caller has checked the size)."""
    async with _rewrites:
        original = await storage.read_object(key, max_bytes)
        cleaned = await anyio.to_thread.run_sync(strip_metadata, original, content_type)
        if cleaned == original:
            return None
        await storage.put_object(key, cleaned, content_type)
    log.info("image_metadata_removed", removed_bytes=len(original) - len(cleaned))
    return len(cleaned)
