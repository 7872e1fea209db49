"""RS256 signing keys of the local identity provider, with rotation and a JWKS.

A :class:`KeySet` has one *active* private key (signs every new token) and zero or more
*previous* keys that only verify: tokens signed before a rotation stay valid until they expire,
because their key is still published in the JWKS. Previous keys are kept as public keys only: a
retired key must never sign again, so there is no reason to keep its private half around.

Sources, in the order a deployment would use them:

* a settings value (production: a secret) holding PEM text, or the JSON form below;
* a file with the same content (``KeySet.load``);
* local runs: ``KeySet.load_or_create(directory)`` generates a key on first start and persists it
  (mode 0600) so tokens survive restarts of ``make dev``.

JSON form: ``{"active": "<private key PEM>", "previous": ["<PEM>", ...]}``; PEM form: several
concatenated PEM blocks, the first a private key (active), the rest public or private keys
(previous). ``kid`` is the RFC 7638 JWK thumbprint, so it is derived, never configured, and the
same key gets the same ``kid`` everywhere.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KEY_FILE_NAME = "jwt-signing-keys.json"
MIN_KEY_BITS = 2048
DEFAULT_KEY_BITS = 2048  # what Cognito uses; 2048-bit RS256 signatures are cheap to verify
DEFAULT_KEEP_PREVIOUS = 1  # after a rotation the JWKS holds two keys: active + previous

_PEM_RE = re.compile(r"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----", re.DOTALL)


class KeySetError(ValueError):
    """The configured keys cannot be used (bad PEM, not RSA, too small, no private key)."""


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def rsa_thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """RFC 7638 JWK thumbprint (SHA-256, base64url without padding) of an RSA public key."""
    numbers = public_key.public_numbers()
    # RFC 7638 §3: only the required members, in lexicographic order, no whitespace.
    canonical = json.dumps(
        {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)},
        separators=(",", ":"),
        sort_keys=True,
    )
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class VerificationKey:
    kid: str
    public_key: rsa.RSAPublicKey

    def jwk(self) -> dict[str, str]:
        numbers = self.public_key.public_numbers()
        return {
            "kty": "RSA",
            "kid": self.kid,
            "use": "sig",
            "alg": "RS256",
            "n": _b64url_uint(numbers.n),
            "e": _b64url_uint(numbers.e),
        }


def _check_size(key: rsa.RSAPrivateKey | rsa.RSAPublicKey) -> None:
    if key.key_size < MIN_KEY_BITS:
        raise KeySetError(f"RSA keys must have at least {MIN_KEY_BITS} bits, got {key.key_size}")


def _load_pem(block: str) -> rsa.RSAPrivateKey | rsa.RSAPublicKey:
    data = block.encode()
    key: object
    try:
        if "PRIVATE KEY" in block:
            key = serialization.load_pem_private_key(data, password=None)
        else:
            key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:  # encrypted, malformed or unsupported PEM
        raise KeySetError(f"cannot load PEM key: {exc}") from exc
    if not isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        raise KeySetError("only RSA keys can sign RS256 tokens")
    _check_size(key)
    return key


def _private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def _public_pem(key: rsa.RSAPublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def _public(key: rsa.RSAPrivateKey | rsa.RSAPublicKey) -> rsa.RSAPublicKey:
    return key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key


class KeySet:
    """One active signing key plus previous keys that still verify."""

    def __init__(
        self,
        active: rsa.RSAPrivateKey,
        previous: Iterable[rsa.RSAPrivateKey | rsa.RSAPublicKey] = (),
    ) -> None:
        _check_size(active)
        self.active_key = active
        self.kid = rsa_thumbprint(active.public_key())
        keys = [VerificationKey(self.kid, active.public_key())]
        for key in previous:
            _check_size(key)
            public = _public(key)
            kid = rsa_thumbprint(public)
            if all(kid != known.kid for known in keys):  # a repeated key is listed once
                keys.append(VerificationKey(kid, public))
        self.verification_keys: tuple[VerificationKey, ...] = tuple(keys)

    @property
    def previous_keys(self) -> tuple[VerificationKey, ...]:
        return self.verification_keys[1:]

    # -- construction -----------------------------------------------------------------------

    @classmethod
    def generate(cls, *, bits: int = DEFAULT_KEY_BITS) -> KeySet:
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=bits))

    @classmethod
    def from_pem(cls, text: str) -> KeySet:
        """Concatenated PEM blocks: a private key first (active), then previous keys."""
        blocks = [match.group(0) for match in _PEM_RE.finditer(text)]
        if not blocks:
            raise KeySetError("no PEM block found")
        keys = [_load_pem(block) for block in blocks]
        active = keys[0]
        if not isinstance(active, rsa.RSAPrivateKey):
            raise KeySetError("the first PEM block must be the active private key")
        return cls(active, keys[1:])

    @classmethod
    def from_json(cls, text: str) -> KeySet:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise KeySetError(f"key set is not valid JSON: {exc}") from exc
        if not isinstance(doc, dict) or not isinstance(doc.get("active"), str):
            raise KeySetError('key set JSON needs an "active" PEM string')
        previous = doc.get("previous", [])
        if not isinstance(previous, list) or not all(isinstance(p, str) for p in previous):
            raise KeySetError('"previous" must be a list of PEM strings')
        pems: list[str] = [doc["active"], *previous]
        return cls.from_pem("\n".join(pems))

    @classmethod
    def from_setting(cls, value: str) -> KeySet:
        """A settings value: the JSON form or PEM text (e.g. straight from Secrets Manager).

        PEM squeezed into one line of an env file usually arrives with literal ``\\n``
        separators; those are turned back into newlines (JSON decodes its own escapes).
        """
        if value.lstrip().startswith("{"):
            return cls.from_json(value)
        if "\n" not in value and "\\n" in value:
            value = value.replace("\\n", "\n")
        return cls.from_pem(value)

    @classmethod
    def load(cls, path: Path) -> KeySet:
        return cls.from_setting(path.read_text(encoding="ascii"))

    @classmethod
    def load_or_create(cls, directory: Path, *, bits: int = DEFAULT_KEY_BITS) -> KeySet:
        """Local runs: the key set persisted in ``directory``, created on first use.

        Safe when several processes start at once: the file appears atomically and only the
        first writer wins; the others load what it wrote.
        """
        path = directory / KEY_FILE_NAME
        if path.exists():
            return cls.load(path)
        keyset = cls.generate(bits=bits)
        if _write_private(path, keyset.to_json(), replace=False):
            return keyset
        return cls.load(path)

    # -- use --------------------------------------------------------------------------------

    def public_key(self, kid: str) -> rsa.RSAPublicKey | None:
        for key in self.verification_keys:
            if key.kid == kid:
                return key.public_key
        return None

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The public JWKS, active key first (RSA public members only)."""
        return {"keys": [key.jwk() for key in self.verification_keys]}

    def rotated(
        self,
        *,
        new_active: rsa.RSAPrivateKey | None = None,
        keep_previous: int = DEFAULT_KEEP_PREVIOUS,
    ) -> KeySet:
        """A new key set: a fresh active key; the current active key becomes the newest
        previous one; only ``keep_previous`` previous keys are kept (oldest dropped).

        Keep at least one so tokens issued just before the rotation verify until they expire;
        drop the older one only after the token lifetime (1 h) has passed since it retired.
        """
        if keep_previous < 0:
            raise ValueError("keep_previous must be >= 0")
        active = new_active or rsa.generate_private_key(
            public_exponent=65537, key_size=self.active_key.key_size
        )
        previous = [self.active_key.public_key()] + [k.public_key for k in self.previous_keys]
        return KeySet(active, previous[:keep_previous])

    def to_json(self) -> str:
        """The JSON form, with the active private key and the previous public keys."""
        return json.dumps(
            {
                "active": _private_pem(self.active_key),
                "previous": [_public_pem(k.public_key) for k in self.previous_keys],
            },
            indent=2,
        )

    def save(self, path: Path) -> None:
        """Write (or atomically replace) a key file readable by the owner only."""
        _write_private(path, self.to_json(), replace=True)


def rotate_file(path: Path, *, keep_previous: int = DEFAULT_KEEP_PREVIOUS) -> KeySet:
    """Rotate a persisted key set in place (local runs and self-hosting)."""
    keyset = KeySet.load(path).rotated(keep_previous=keep_previous)
    keyset.save(path)
    return keyset


def _write_private(path: Path, text: str, *, replace: bool) -> bool:
    """Write ``text`` to ``path`` with mode 0600, atomically; False if it exists and not replace.

    The content goes to a private temporary file first, so no reader ever sees half a key and
    the key is never readable by others, not even for an instant; then it is renamed (replace)
    or hard-linked (create only if absent: ``link`` fails when the target exists).
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            tmp.replace(path)
            return True
        try:
            path.hardlink_to(tmp)
        except FileExistsError:
            return False
        return True
    finally:
        tmp.unlink(missing_ok=True)


def keys_from_pems(pems: Sequence[str]) -> KeySet:
    """Settings given as a list of PEM strings (active first)."""
    return KeySet.from_pem("\n".join(pems))
