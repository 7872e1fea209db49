"""Server side of Amazon Cognito's USER_SRP_AUTH math (an SRP-6a variant).

The local identity provider must accept logins from *unmodified* Cognito SRP clients
(amazon-cognito-identity-js, AWS Amplify, pycognito's ``AWSSRP``), so the same browser code works
against the local provider and a real User Pool. No maintained Python library implements the
server side of Cognito's variant: generic SRP libraries follow RFC 5054, and Cognito differs in
ways that change every byte that is hashed. So this module is hand-written, and every formula
below mirrors the client code (pycognito ``aws_srp.py``, amazon-cognito-identity-js
``AuthenticationHelper.js``); the tests drive it with pycognito's own client code, not with a
re-derivation of it. The Cognito-specific details:

* group: the RFC 5054 / RFC 3526 3072-bit prime with g = 2;
* every integer is hashed as the bytes of its *padded hex* (``pad_hex``): even length, plus a
  leading ``00`` byte when the high bit is set (a two's-complement-positive encoding), so
  k = H(00 | N | 02), not RFC 5054's H(N | PAD(g));
* x = H(PAD(salt) | H(pool_name | user_id_for_srp | ":" | password)), where the inner hash is
  hex-encoded and then decoded again as bytes;
* the session key is HKDF-SHA256(ikm = PAD(S), salt = PAD(u), info = "Caldera Derived Key"),
  16 bytes;
* the password claim is base64(HMAC-SHA256(key, pool_name | user_id_for_srp | SECRET_BLOCK bytes
  | TIMESTAMP)) with TIMESTAMP like ``Thu Nov 7 11:18:24 UTC 2026`` (day not zero-padded).

Python's ``pow`` is not constant-time; this is acceptable for the same reason it is for every
other pure-Python SRP server: the secret exponent ``b`` is fresh per login attempt and never
reused, so a timing observation of one attempt says nothing about the next.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# RFC 5054 appendix A / RFC 3526 group 15 prime, exactly as the Cognito client libraries hardcode
# it (amazon-cognito-identity-js AuthenticationHelper.js, pycognito aws_srp.N_HEX).
N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D"
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9"
    "DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64"
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B"
    "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31"
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2
N_BYTES = (N.bit_length() + 7) // 8  # 384: every value mod N fits in this many bytes

SALT_BYTES = 16  # what Cognito and its clients use for SRP salts
EPHEMERAL_BITS = 256  # RFC 5054 asks for at least 256 bits of randomness in b
HKDF_INFO = b"Caldera Derived Key"
HKDF_LENGTH = 16
DEFAULT_MAX_CLOCK_SKEW = timedelta(minutes=5)

# A client's SRP_A: hex of a value below N, so at most 2 * N_BYTES digits (plus a 00 byte, should
# a client ever send it padded). The bound keeps a hostile request from making us parse and
# exponentiate a huge integer.
_HEX_RE = re.compile(rf"[0-9a-fA-F]{{1,{2 * N_BYTES + 2}}}")

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TIMESTAMP_RE = re.compile(
    r"(?P<wd>[A-Z][a-z]{2}) (?P<mon>[A-Z][a-z]{2}) (?P<day>\d{1,2}) "
    r"(?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2}) UTC (?P<y>\d{4})"
)


class SrpError(Exception):
    """Base of every SRP failure; the HTTP layer answers all of them without detail."""


class InvalidSrpA(SrpError):
    """The client's public value A is malformed or unsafe (A mod N == 0)."""


class InvalidTimestamp(SrpError):
    """TIMESTAMP is malformed or too far from the server's clock."""


class PasswordClaimMismatch(SrpError):
    """The PASSWORD_CLAIM_SIGNATURE does not match: wrong password (or wrong user id)."""


class Verifier(NamedTuple):
    """What is stored per account instead of a password (both hex, canonical padded form)."""

    salt_hex: str
    verifier_hex: str


def pad_hex(value: int) -> str:
    """Cognito's ``padHex``: hex with even length and a leading 00 when the high bit is set."""
    text = f"{value:x}"
    if len(text) % 2:
        return "0" + text
    if text[0] in "89abcdef":
        return "00" + text
    return text


def _hash_hex(hex_text: str) -> str:
    """Cognito's ``hexHash``: SHA-256 of the bytes a hex string spells, as 64 hex digits."""
    return hashlib.sha256(bytes.fromhex(hex_text)).hexdigest()


# k = H(PAD(N) | PAD(g)) with Cognito's padding, i.e. H(00 | N | 02).
K = int(_hash_hex(pad_hex(N) + pad_hex(G)), 16)


def pool_name_from_pool_id(user_pool_id: str) -> str:
    """The part of a pool id (``us-east-1_AbC123``) that clients mix into x and the claim.

    Clients take ``pool_id.split("_")[1]``, so an id without exactly one underscore would make
    client and server disagree; reject it up front instead of failing every login.
    """
    region, sep, name = user_pool_id.partition("_")
    if not region or not sep or not name or "_" in name:
        raise ValueError(f"user pool id must look like '<region>_<name>', got {user_pool_id!r}")
    return name


def _compute_x(pool_name: str, user_id_for_srp: str, password: str, salt_hex: str) -> int:
    inner = hashlib.sha256(f"{pool_name}{user_id_for_srp}:{password}".encode()).hexdigest()
    return int(_hash_hex(pad_hex(int(salt_hex, 16)) + inner), 16)


def _compute_u(srp_a: int, srp_b: int) -> int:
    return int(_hash_hex(pad_hex(srp_a) + pad_hex(srp_b)), 16)


def make_verifier(
    pool_name: str, user_id_for_srp: str, password: str, *, salt: bytes | None = None
) -> Verifier:
    """Derive (salt, v = g^x mod N) for sign-up or a password reset; the password is not kept.

    The salt is returned in canonical padded-hex form. That matters: pycognito pads the SALT
    string as received while amazon-cognito-identity-js first parses it into a BigInteger
    (dropping leading zeros) and pads that; both only agree when SALT is already canonical.
    """
    raw = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    salt_int = int.from_bytes(raw, "big")
    if salt_int == 0:  # 2**-128 for random salts; an explicit all-zero salt is a caller bug
        raise ValueError("salt must not be zero")
    salt_hex = pad_hex(salt_int)
    x = _compute_x(pool_name, user_id_for_srp, password, salt_hex)
    return Verifier(salt_hex=salt_hex, verifier_hex=pad_hex(pow(G, x, N)))


def parse_srp_a(srp_a_hex: str) -> int:
    """Parse and check the client's SRP_A; RFC 5054 §2.5.4: abort when A mod N == 0."""
    if not _HEX_RE.fullmatch(srp_a_hex):
        raise InvalidSrpA("SRP_A must be a hex number below N")
    srp_a = int(srp_a_hex, 16)
    # Honest clients always send g^a mod N, which lies in [1, N); anything else is either unsafe
    # (0, N, 2N, ... make S predictable) or an alias of a smaller value, so refuse it all.
    if srp_a % N == 0 or srp_a >= N:
        raise InvalidSrpA("SRP_A is not a valid group element")
    return srp_a


def start(verifier_hex: str, srp_a: int) -> tuple[int, int]:
    """Pick the server's ephemeral secret b and public B = (k*v + g^b) mod N.

    Returns ``(b, B)``. ``srp_a`` must come from :func:`parse_srp_a`; it is used here only to
    make sure u = H(A, B) is not zero (possible only in theory, but cheap to exclude).
    """
    if srp_a % N == 0:
        raise InvalidSrpA("SRP_A is not a valid group element")
    v = int(verifier_hex, 16)
    while True:
        b = secrets.randbits(EPHEMERAL_BITS)
        srp_b = (K * v + pow(G, b, N)) % N
        if b and srp_b and _compute_u(srp_a, srp_b):
            return b, srp_b


def session_key(*, srp_a: int, srp_b: int, b: int, verifier_hex: str) -> bytes:
    """The 16-byte key both sides derive: HKDF(PAD(S), salt=PAD(u)), S = (A * v^u)^b mod N."""
    if srp_a % N == 0:
        raise InvalidSrpA("SRP_A is not a valid group element")
    u = _compute_u(srp_a, srp_b)
    if u == 0:  # the client aborts on u == 0 as well; S would not depend on v
        raise PasswordClaimMismatch("u is zero")
    v = int(verifier_hex, 16)
    s = pow(srp_a * pow(v, u, N) % N, b, N)
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=HKDF_LENGTH,
        salt=bytes.fromhex(pad_hex(u)),
        info=HKDF_INFO,
    )
    return hkdf.derive(bytes.fromhex(pad_hex(s)))


def password_claim_signature(
    key: bytes, pool_name: str, user_id_for_srp: str, secret_block: bytes, timestamp: str
) -> bytes:
    """The raw HMAC the client sends base64-encoded as PASSWORD_CLAIM_SIGNATURE."""
    message = pool_name.encode() + user_id_for_srp.encode() + secret_block + timestamp.encode()
    return hmac.new(key, message, hashlib.sha256).digest()


def format_timestamp(moment: datetime) -> str:
    """Cognito's TIMESTAMP format, e.g. ``Thu Nov 7 11:18:24 UTC 2026`` (day not padded)."""
    t = moment.astimezone(UTC)
    return (
        f"{_WEEKDAYS[t.weekday()]} {_MONTHS[t.month - 1]} {t.day} "
        f"{t.hour:02d}:{t.minute:02d}:{t.second:02d} UTC {t.year}"
    )


def parse_timestamp(timestamp: str) -> datetime:
    """Parse a TIMESTAMP without depending on the process locale (``strptime`` would)."""
    match = _TIMESTAMP_RE.fullmatch(timestamp)
    if not match or match["wd"] not in _WEEKDAYS or match["mon"] not in _MONTHS:
        raise InvalidTimestamp("TIMESTAMP is not in Cognito's format")
    try:
        parsed = datetime(
            int(match["y"]),
            _MONTHS.index(match["mon"]) + 1,
            int(match["day"]),
            int(match["h"]),
            int(match["m"]),
            int(match["s"]),
            tzinfo=UTC,
        )
    except ValueError as exc:
        raise InvalidTimestamp("TIMESTAMP is not a real date") from exc
    # The weekday is signed by the client too, so a wrong one is not a security problem, but a
    # timestamp that names the wrong day is malformed and a client bug worth surfacing.
    if _WEEKDAYS[parsed.weekday()] != match["wd"]:
        raise InvalidTimestamp("TIMESTAMP weekday does not match its date")
    return parsed


def verify(
    *,
    pool_name: str,
    user_id_for_srp: str,
    verifier_hex: str,
    srp_a: int,
    srp_b: int,
    b: int,
    secret_block: bytes,
    timestamp: str,
    signature_b64: str,
    now: datetime,
    max_clock_skew: timedelta = DEFAULT_MAX_CLOCK_SKEW,
) -> None:
    """Check the client's PASSWORD_CLAIM_SIGNATURE; raise an :class:`SrpError` if it is wrong.

    ``secret_block`` is the exact byte string the server issued as SECRET_BLOCK (base64-decoded)
    and ``timestamp`` the client's TIMESTAMP string as sent (the signature covers it verbatim).
    The timestamp window limits how long a captured claim stays usable; the secret block's own
    expiry and single use (see ``secret_block.py``) are the stronger guards.
    """
    claimed_at = parse_timestamp(timestamp)
    if abs(now - claimed_at) > max_clock_skew:
        raise InvalidTimestamp("TIMESTAMP is too far from the server clock")
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PasswordClaimMismatch("signature is not base64") from exc
    key = session_key(srp_a=srp_a, srp_b=srp_b, b=b, verifier_hex=verifier_hex)
    expected = password_claim_signature(key, pool_name, user_id_for_srp, secret_block, timestamp)
    if not hmac.compare_digest(expected, signature):
        raise PasswordClaimMismatch("password claim signature does not match")
