"""Write web/src/lib/srp.vector.json: one login worked by the auth service's own SRP code.

The SPA's SRP client (web/src/lib/srp.ts) must produce this exact PASSWORD_CLAIM_SIGNATURE
from the same inputs; srp.test.ts checks it. Regenerate with
``uv run python web/scripts/make_srp_vector.py`` (the values are fixed, so the file is stable).
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

from petshots_auth import srp

POOL_ID = "local_PetshotsDev"
USER_ID = "7d3f0f3e-2b7e-4c1a-9a53-0c1f6a2e9b11"
PASSWORD = "Correct-Horse-9"  # noqa: S105 - a test vector, not a credential
SALT = bytes.fromhex("8f2c1a7e5d4b3a291807f6e5d4c3b2a1")
SECRET_A = int("a1" * 128, 16)  # the client's secret exponent, fixed for the vector
SECRET_B = int("5e" * 32, 16)  # the server's, fixed likewise
SECRET_BLOCK = base64.b64encode(b"opaque secret block issued by the server").decode()
MOMENT = datetime(2026, 11, 7, 11, 18, 24, tzinfo=UTC)


def main() -> None:
    pool = srp.pool_name_from_pool_id(POOL_ID)
    verifier = srp.make_verifier(pool, USER_ID, PASSWORD, salt=SALT)
    srp_a = pow(srp.G, SECRET_A, srp.N)
    v = int(verifier.verifier_hex, 16)
    srp_b = (srp.K * v + pow(srp.G, SECRET_B, srp.N)) % srp.N
    key = srp.session_key(srp_a=srp_a, srp_b=srp_b, b=SECRET_B, verifier_hex=verifier.verifier_hex)
    timestamp = srp.format_timestamp(MOMENT)
    signature = srp.password_claim_signature(
        key, pool, USER_ID, base64.b64decode(SECRET_BLOCK), timestamp
    )
    vector = {
        "user_pool_id": POOL_ID,
        "user_id_for_srp": USER_ID,
        "password": PASSWORD,
        "salt_hex": verifier.salt_hex,
        "secret_a_hex": f"{SECRET_A:x}",
        "srp_a_hex": f"{srp_a:x}",
        "srp_b_hex": f"{srp_b:x}",
        "secret_block": SECRET_BLOCK,
        "moment": MOMENT.isoformat(),
        "timestamp": timestamp,
        "signature": base64.b64encode(signature).decode(),
    }
    out = Path(__file__).resolve().parent.parent / "src" / "lib" / "srp.vector.json"
    out.write_text(json.dumps(vector, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
